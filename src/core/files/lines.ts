// Lines of a file that may hold anything (a session log someone else wrote, a
// torn tail after a crash): each line is bounded, so one 50 MB line cannot
// take memory with it. A longer line is skipped and counted, like a malformed one.
import { createReadStream } from 'node:fs';
import { openForStreaming } from './gate';

/** The longest line read: an event is a few hundred bytes, its longest field (a URL, an error) a few KiB. */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface LineCounts {
  /** Lines longer than the bound, skipped unread. */
  overlong: number;
}

/** Splits a byte stream into UTF-8 lines of at most maxBytes each (without "\n" and a trailing "\r"). */
export async function* boundedLines(chunks: AsyncIterable<Buffer>, counts: LineCounts, maxBytes = MAX_LINE_BYTES): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  const take = () => {
    let line = Buffer.concat(parts, size).toString('utf8');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    parts = [];
    size = 0;
    return line;
  };
  for await (const chunk of chunks) {
    for (let start = 0; ;) {
      const nl = chunk.indexOf(10, start);
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl);
      if (!skipping && size + piece.length > maxBytes) {
        skipping = true;
        parts = [];
        size = 0;
      } else if (!skipping && piece.length) {
        parts.push(piece);
        size += piece.length;
      }
      if (nl < 0) break;
      start = nl + 1;
      if (skipping) {
        counts.overlong++;
        skipping = false;
      } else yield take();
    }
  }
  if (skipping) counts.overlong++;
  else if (size) yield take();
}

/** The lines of a regular file (checked by the gate; `what` names it in a refusal), from byte `start` on. */
export function fileLines(path: string, what: string, counts: LineCounts, maxBytes = MAX_LINE_BYTES, start = 0): AsyncGenerator<string> {
  const fd = openForStreaming(path, what);
  return boundedLines(createReadStream('', { fd, start, highWaterMark: 256 * 1024 }), counts, maxBytes);
}
