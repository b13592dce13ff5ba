// Secrets must never reach an event, a log or a screen: URL passwords and
// token-like query values are replaced before a URL leaves the engine.

export const REDACTED = '***';

const SECRET_PARAM =
  /^(token|access[_-]?token|refresh[_-]?token|id[_-]?token|auth|authorization|key|api[_-]?key|apikey|secret|client[_-]?secret|password|passwd|pwd|signature|sig|jwt|session|sessionid|sid|credential|credentials|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

/** True for a query parameter name whose value should be treated as a secret. */
export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name);
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
