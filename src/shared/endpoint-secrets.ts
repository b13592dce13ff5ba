// An endpoint's secrets, written once: which values of its settings are
// secret (for the redactor every output passes), the settings as they may
// leave the process (masked), and masked settings sent back by a form merged
// with the secrets they stand for (kept unless the user typed a new one).
import { APP_PROTOCOL_SECRETS } from './app-protocols';
import type { EndpointConfig } from './config';
import { REDACTED, redactorFor, redactUrl, urlSecrets, type Redactor } from './redact';
import { tryUrl } from './url';

type Settings = Pick<EndpointConfig, 'url' | 'headers' | 'proxy' | 'clientKeyPassphrase' | 'appProtocol'> & { name?: string };

/** Every secret value an endpoint's settings hold: URL and proxy credentials, header values, key passphrase, protocol credentials. */
export function endpointSecrets(c: Settings): string[] {
  const found = [...urlSecrets(c.url), ...(c.proxy ? urlSecrets(c.proxy) : [])];
  for (const value of Object.values(c.headers ?? {})) {
    // "Bearer abc…": the whole value, and each long enough word of it (a server may echo the token alone).
    found.push(value, ...value.split(/\s+/).filter((w) => w.length >= 8));
  }
  if (c.clientKeyPassphrase) found.push(c.clientKeyPassphrase);
  const p = c.appProtocol as Record<string, unknown> | undefined;
  for (const field of APP_PROTOCOL_SECRETS) if (p?.[field] !== undefined) found.push(...leaves(p[field]));
  return found;
}

/** The text values in a JSON value (a Socket.IO auth object's token …), and the value itself when it is text. */
function leaves(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (typeof v === 'number') return [String(v)];
  if (v && typeof v === 'object') return Object.values(v).flatMap(leaves);
  return [];
}

/** The redactor for an endpoint's output (events, answers, notices): its secrets and anything secret-shaped. */
export function endpointRedactor(c: Settings): Redactor {
  return redactorFor(endpointSecrets(c));
}

/** A JSON value with every text and number replaced by the mask: its shape stays (a form can show which keys are set). */
function maskLeaves(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(maskLeaves);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskLeaves(x)]));
  return v === null || typeof v === 'boolean' ? v : REDACTED;
}

/** The settings as they may leave the process (the config answer, the window's form): every secret replaced by ***. */
export function maskSecrets<C extends Settings>(c: C): C {
  const out: C = { ...c, url: redactUrl(c.url) };
  if (c.name !== undefined) out.name = endpointRedactor(c)(c.name);
  if (c.headers) out.headers = Object.fromEntries(Object.keys(c.headers).map((k) => [k, REDACTED]));
  if (c.proxy !== undefined) out.proxy = redactUrl(c.proxy);
  if (c.clientKeyPassphrase !== undefined) out.clientKeyPassphrase = REDACTED;
  if (c.appProtocol) {
    const p: Record<string, unknown> = { ...c.appProtocol };
    for (const field of APP_PROTOCOL_SECRETS) if (p[field] !== undefined) p[field] = maskLeaves(p[field]);
    out.appProtocol = p as C['appProtocol'];
  }
  return out;
}

/**
 * Settings sent back after maskSecrets (an edit form), with each mask that
 * still stands where the current settings hold a secret replaced by that
 * secret: a secret is kept unless the user typed a new one.
 */
export function unmaskSecrets<C extends Settings>(incoming: C, current: Settings): C {
  const out: C = { ...incoming, url: unmaskUrl(incoming.url, current.url) };
  if (incoming.headers) {
    out.headers = Object.fromEntries(
      Object.entries(incoming.headers).map(([k, v]) => [k, v === REDACTED && current.headers?.[k] !== undefined ? current.headers[k]! : v]),
    );
  }
  if (incoming.proxy !== undefined && current.proxy !== undefined) out.proxy = unmaskUrl(incoming.proxy, current.proxy);
  if (incoming.clientKeyPassphrase === REDACTED && current.clientKeyPassphrase !== undefined) out.clientKeyPassphrase = current.clientKeyPassphrase;
  const p = incoming.appProtocol as Record<string, unknown> | undefined;
  const was = current.appProtocol as Record<string, unknown> | undefined;
  if (p && was && p.name === was.name) {
    const merged = { ...p };
    for (const field of APP_PROTOCOL_SECRETS) {
      if (was[field] !== undefined && JSON.stringify(p[field]) === JSON.stringify(maskLeaves(was[field]))) merged[field] = was[field];
    }
    out.appProtocol = merged as C['appProtocol'];
  }
  return out;
}

/** A URL whose masked parts (user name, password, query or path parameters shown as ***) are filled from the current URL. */
function unmaskUrl(incoming: string, current: string): string {
  if (!incoming.includes(REDACTED)) return incoming;
  if (incoming === redactUrl(current)) return current;
  const u = tryUrl(incoming);
  const was = tryUrl(current);
  if (!u || !was) return incoming;
  if (decodeURIComponent(u.username) === REDACTED) u.username = was.username;
  if (decodeURIComponent(u.password) === REDACTED) u.password = was.password;
  for (const [name, value] of [...u.searchParams]) {
    const before = was.searchParams.get(name);
    if (value === REDACTED && before !== null) u.searchParams.set(name, before);
  }
  return u.toString();
}
