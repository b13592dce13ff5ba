// Text that came from a peer (a close reason, an HTTP status text, an error
// message) made safe to show a person: control characters, DEL, C1 controls
// and bidirectional overrides become visible escapes, so a server cannot move
// a terminal's cursor, clear the screen, start a new log line or reorder text.

// C0 (newline, escape …), DEL, C1 (0x9b is a one-byte CSI in some terminals), and bidi embeddings/overrides/isolates.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

/** The text with every character that could act instead of print shown as an escape (\x1b, \x0a, \u202e …). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escape);
}

/**
 * One JSON line for a terminal, a log or a pipe: JSON.stringify already
 * escapes C0 controls; DEL, C1 and bidi controls are escaped here too.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
