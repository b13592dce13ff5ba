// Secrets must never reach an event, a log or a screen: URL passwords and
// token-like query values are replaced before a URL leaves the engine.

import { tryUrl } from './url';

export const REDACTED = '***';

/**
 * Words that make a parameter name secret. A name is split into words at
 * `_`, `-`, `.`, spaces and camelCase humps (`auth_token`, `x-api-key`,
 * `authToken`, `X-Amz-Security-Token`), and is secret when any word is one of
 * these: a name merely containing one inside a word (`keyboard`, `passive`,
 * `tokenizer`) is not.
 */
const SECRET_WORDS = new Set([
  'token',
  'key',
  'apikey',
  'secret',
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'auth',
  'authorization',
  'bearer',
  'ticket',
  'otp',
  'totp',
  'hmac',
  'signature',
  'sig',
  'jwt',
  'session',
  'sessionid',
  'sid',
  'credential',
  'credentials',
  'cookie',
  'accesskey',
  'privatekey',
  'clientsecret',
  'accesstoken',
  'refreshtoken',
  'authtoken',
]);
/** Names the user declared secret too (`--secret-name`, WSMON_SECRET_NAMES), compared as words are. */
const extraNames = new Set<string>();

const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** True for a query parameter (or header) name whose value should be treated as a secret. */
export function isSecretParam(name: string): boolean {
  const w = words(name);
  return w.some((x) => SECRET_WORDS.has(x)) || SECRET_WORDS.has(w.join('')) || extraNames.has(w.join(''));
}

/** Adds names the user declares secret, for the whole process (every redaction from now on). */
export function addSecretNames(names: Iterable<string>): void {
  for (const n of names) if (n.trim()) extraNames.add(words(n).join(''));
}

/** The URL with its userinfo (user name and password), secret query values and secret `;name=value` path parameters replaced by ***. Unparseable input is returned as is. */
export function redactUrl(url: string): string {
  const u = tryUrl(url);
  if (!u) return url;
  // A user name in a WebSocket URL is as often a token (wss://TOKEN@host) as a name: both parts are masked.
  if (u.username) u.username = REDACTED;
  if (u.password) u.password = REDACTED;
  for (const name of [...new Set(u.searchParams.keys())]) {
    if (isSecretParam(name)) u.searchParams.set(name, REDACTED);
  }
  if (u.pathname.includes(';'))
    u.pathname = u.pathname.replace(MATRIX_PARAM, (m, name: string) => (isSecretParam(decodeSafe(name)) ? `;${name}=${REDACTED}` : m));
  // URL re-encodes "***" as "%2A%2A%2A"; keep the mask readable.
  return u.toString().replaceAll('%2A%2A%2A', REDACTED);
}

const MATRIX_PARAM = /;([^;=/]+)=([^;/]*)/g;

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The shortest value masked as a known secret: shorter ones ("1", "on") would mask ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * The secret values a URL carries: user name, password, secret query values
 * and secret path parameters, decoded and as written.
 */
export function urlSecrets(url: string): string[] {
  const u = tryUrl(url);
  if (!u) return [];
  const found = [u.username, u.password, ...[...u.searchParams].filter(([k]) => isSecretParam(k)).map(([, v]) => v)];
  for (const m of u.pathname.matchAll(MATRIX_PARAM)) if (isSecretParam(decodeSafe(m[1]!))) found.push(m[2]!);
  return found.filter((v) => v !== '').flatMap((v) => [v, decodeSafe(v), encodeURIComponent(decodeSafe(v))]);
}

// Secret-shaped pieces of any text, whoever wrote it (a server echoing the
// request in its status line, an old log). Each pattern is linear: a
// lookbehind pins a match to the start of a run, so no run is rescanned.
const URL_USERINFO = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)([^\s/@?#]+)@/g;
const NAME_VALUE = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{1,64})(=|"?\s*:\s*"?)([^\s&;,?"'<>]+)/g;
const SCHEME_CREDENTIAL = /(?<![A-Za-z])(Bearer|Basic|Digest)(\s+)([A-Za-z0-9\-._~+/=:]{4,})/gi;
/** Schemes that are also English words ("token expired"): only as written in a header, with a credential-length value. */
const WORD_SCHEME_CREDENTIAL = /(?<![A-Za-z])(Token|Bot)(\s+)([A-Za-z0-9\-._~+/=:]{16,})/g;

/** Text with secret-shaped pieces masked: URL userinfo, `name=value` and `name: value` with a secret name, and `Bearer …`-style credentials. */
export function redactSecretShapes(text: string): string {
  return text
    .replace(URL_USERINFO, (_m, scheme: string, info: string) => `${scheme}${info.includes(':') ? `${REDACTED}:${REDACTED}` : REDACTED}@`)
    .replace(SCHEME_CREDENTIAL, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(WORD_SCHEME_CREDENTIAL, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(NAME_VALUE, (m, name: string, sep: string, value: string) => (value !== REDACTED && isSecretParam(name) ? `${name}${sep}${REDACTED}` : m));
}

export type Redactor = (text: string) => string;

/**
 * The redactor for one endpoint's output: every known secret value of it
 * (longest first, so a secret containing another goes whole) is masked
 * wherever it appears, then secret-shaped pieces are. Everything an endpoint
 * emits passes it, whoever wrote the text.
 */
export function redactorFor(secrets: Iterable<string>): Redactor {
  const known = [...new Set([...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of known) if (out.includes(s)) out = out.replaceAll(s, REDACTED);
    return redactSecretShapes(out);
  };
}

/** An object (an event) with each top-level text field passed through `redact`; a copy only when something was masked. */
export function redactFields<T extends object>(obj: T, redact: Redactor): T {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v !== 'string' || k === 'type') continue;
    const masked = redact(v);
    if (masked !== v) (out ??= { ...(obj as Record<string, unknown>) })[k] = masked;
  }
  return (out ?? obj) as T;
}
