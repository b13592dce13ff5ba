// Secrets must never reach an event, a log or a screen: URL passwords and
// token-like query values are replaced before a URL leaves the engine.

export const REDACTED = '***';

/**
 * Words that make a parameter name secret. A name is split into words at
 * `_`, `-`, `.`, spaces and camelCase humps (`auth_token`, `x-api-key`,
 * `authToken`, `X-Amz-Security-Token`), and is secret when any word is one of
 * these: a name merely containing one inside a word (`keyboard`, `passive`,
 * `tokenizer`) is not.
 */
const SECRET_WORDS = new Set([
  'token', 'key', 'apikey', 'secret', 'password', 'passwd', 'pass', 'pwd', 'passphrase', 'auth', 'authorization',
  'bearer', 'ticket', 'otp', 'totp', 'hmac', 'signature', 'sig', 'jwt', 'session', 'sessionid', 'sid', 'credential',
  'credentials', 'cookie', 'accesskey', 'privatekey', 'clientsecret', 'accesstoken', 'refreshtoken', 'authtoken',
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

/** The URL with its password and secret query values replaced by ***. Unparseable input is returned as is. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.password) u.password = REDACTED;
  for (const name of [...new Set(u.searchParams.keys())]) {
    if (isSecretParam(name)) u.searchParams.set(name, REDACTED);
  }
  // URL re-encodes "***" as "%2A%2A%2A"; keep the mask readable.
  return u.toString().replaceAll('%2A%2A%2A', REDACTED);
}

/** Replaces every occurrence of the raw URL (and its secrets) inside free text, such as an error message. */
export function redactText(text: string, rawUrl: string): string {
  let out = text;
  if (rawUrl && out.includes(rawUrl)) out = out.replaceAll(rawUrl, redactUrl(rawUrl));
  try {
    const u = new URL(rawUrl);
    const secrets = [u.password, ...[...u.searchParams].filter(([k]) => isSecretParam(k)).map(([, v]) => v)];
    for (const s of secrets) if (s && s.length >= 3) out = out.replaceAll(s, REDACTED);
  } catch {
    /* not a URL: nothing more to hide */
  }
  return out;
}
