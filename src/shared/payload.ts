// Payloads a user writes for messages wsmon sends (on open, as a heartbeat, as
// a reply): text as written, or binary written as `hex:c000` or
// `base64:wAA=`. Binary messages wsmon receives are shown to rules the same
// way (`hex:d000`), so one rule can name the bytes it expects.

export const HEX = /^hex:((?:[0-9a-fA-F]{2})*)$/;
export const BASE64 = /^base64:([A-Za-z0-9+/]*={0,2})$/;

/** Why a payload cannot be sent as written, or null. */
export function payloadProblem(text: string): string | null {
  if (text.startsWith('hex:') && !HEX.test(text.replace(/\s+/g, '')))
    return `"${text.slice(0, 40)}" is not hex: an even number of hex digits (0-9, a-f) after "hex:"`;
  if (text.startsWith('base64:') && (!BASE64.test(text) || (text.length - 7) % 4 !== 0)) return `"${text.slice(0, 40)}" is not base64 after "base64:"`;
  return null;
}
