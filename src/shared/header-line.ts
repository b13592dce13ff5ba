// Headers as a person types them: "Name: value", and what HTTP allows in each part.

/** A header name: an HTTP token (RFC 9110 §5.1). */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What HTTP allows in a header value (RFC 9110 §5.5): no CR, LF, NUL or other control character but tab. */
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** "Name: value" as typed in a form or on the command line; null when there is no name before a colon. */
export function parseHeaderLine(line: string): [name: string, value: string] | null {
  const i = line.indexOf(':');
  return i > 0 ? [line.slice(0, i).trim(), line.slice(i + 1).trim()] : null;
}
