// Bounds on every setting a user, a form or a file gives wsmon. A value past
// its bound is refused with a sentence, never copied into every event and log
// line (a 20 MB URL once was). Each bound is far above any real value.
import { z } from 'zod';

export const LIMITS = {
  /** A URL: 8 KiB is the request-line limit of common servers (nginx, Node's 16 KiB header block). */
  urlChars: 8192,
  /** One header value, and the number of headers. */
  headerValueChars: 8192,
  headers: 64,
  /** Subprotocols offered, and one's length. */
  subprotocols: 32,
  subprotocolChars: 256,
  /** A file path (PATH_MAX on Linux). */
  pathChars: 4096,
  /** A match rule's text, pattern or JSON path. */
  ruleChars: 4096,
  /** An endpoint's tags, and one's length. */
  tags: 16,
  tagChars: 32,
  /** A protocol's text options (login, host, method …). */
  textChars: 4096,
  /** A protocol's JSON options (Socket.IO auth, connection_init payload, JSON-RPC params), as JSON. */
  jsonChars: 65_536,
} as const;

/** Text of at most `max` characters, refused past it in a sentence naming the setting. */
export const boundedText = (what: string, max: number) =>
  z.string({ error: `${what} must be text` }).max(max, { error: `${what} must be at most ${max} characters` });

/** A JSON value whose text form is at most LIMITS.jsonChars long. */
export function jsonWithinBound(what: string) {
  return (value: unknown, ctx: z.RefinementCtx) => {
    if (JSON.stringify(value).length > LIMITS.jsonChars)
      ctx.addIssue({ code: 'custom', message: `${what} must be at most ${LIMITS.jsonChars} characters as JSON` });
  };
}
