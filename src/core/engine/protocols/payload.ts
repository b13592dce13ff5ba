// The engine's side of payloads (shared/payload.ts): bytes to send, text for rules.
/** The message to send: a Buffer (sent as a binary message) for hex:/base64:, else the text. */
export function decodePayload(text: string): string | Buffer {
  if (text.startsWith('hex:')) return Buffer.from(text.slice(4).replace(/\s+/g, ''), 'hex');
  if (text.startsWith('base64:')) return Buffer.from(text.slice(7), 'base64');
  return text;
}

/** Larger messages are not shown to rules: a flood stays cheap. */
export const MAX_MATCHED_MESSAGE = 64 * 1024;

/** What a rule sees of a received message: its text, or `hex:` and its bytes; '' when too large to match. */
export function messageText(data: Buffer, isBinary: boolean): string {
  if (data.length > MAX_MATCHED_MESSAGE) return '';
  return isBinary ? `hex:${data.toString('hex')}` : data.toString();
}

/** A peer's text for a message: at most 300 characters, quoted. Escaping is left to whoever prints it. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text);
}
