// A reply rule as a person types it: "RULE => PAYLOAD" (when a message matches RULE, send PAYLOAD).
import { formatPongMatch, parsePongMatch, type PongMatch } from './match-rule';

/** "RULE => PAYLOAD" as typed in a form or on the command line (a reply rule); null without "=>". */
export function parseReplyLine(line: string): { match: PongMatch; send: string } | null {
  const i = line.indexOf('=>');
  return i < 0 ? null : { match: parsePongMatch(line.slice(0, i).trim()), send: line.slice(i + 2).trim() };
}

export function formatReplyLine(r: { match: PongMatch; send: string }): string {
  return `${formatPongMatch(r.match)} => ${r.send}`;
}
