// JSON read from a file or a request, with a failure told by where it is
// (line and column), never by quoting the text: the engine's own message
// quotes the first bytes, and a file may hold anything (a password file
// someone linked in its place).

export type ParsedJson = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJsonText(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, message: describeJsonError(text) };
  }
}

/** "not JSON at line 3, column 7", or "not JSON: it ends too early (line 3)". */
export function describeJsonError(text: string): string {
  const at = jsonErrorOffset(text);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return at >= text.length ? `not JSON: it ends too early (line ${line})` : `not JSON at line ${line}, column ${at - lineStart + 1}`;
}

// Sticky patterns for the tokens (each linear: their alternatives never overlap).
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const SPACE = /[ \t\n\r]*/y;

/**
 * Where the first error in a text that is not JSON lies (its length when the
 * text ends too early). Iterative, with its own stack: a file of a million
 * opening brackets does not exhaust the call stack.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const closers: string[] = [];
  const token = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  const space = () => token(SPACE);
  /** A member's key and colon; false on an error (at i). */
  const key = () => {
    space();
    if (!token(STRING)) return false;
    space();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };
  for (;;) {
    // A value is expected at i.
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      space();
      if (text[i] === (c === '{' ? '}' : ']')) i++;
      else {
        closers.push(c === '{' ? '}' : ']');
        if (c === '{' && !key()) return i;
        continue;
      }
    } else if (!(token(STRING) || token(NUMBER) || token(LITERAL))) return i;
    // After a value: a comma, a closer, or the end.
    for (;;) {
      space();
      const closer = closers.at(-1);
      if (closer === undefined) return i < text.length ? i : text.length + 1;
      if (text[i] === closer) {
        i++;
        closers.pop();
        continue;
      }
      if (text[i] !== ',') return i;
      i++;
      if (closer === '}' && !key()) return i;
      break;
    }
  }
}
