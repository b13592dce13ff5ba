// An endpoint's secrets, written once: which values of its settings are
// secret (for the redactor every output passes), the settings as they may
// leave the process (masked), and masked settings sent back by a form merged
// with the secrets they stand for (kept unless the user typed a new one).
import type { EndpointConfig } from './config';
import { REDACTED, redactorFor, redactUrl, urlSecrets, type Redactor } from './redact';
import { ALL_SETTINGS } from './settings/endpoint';
import { getPath, setPath } from './settings/setting';
import { tryUrl } from './url';

type Settings = Pick<EndpointConfig, 'url' | 'headers' | 'proxy' | 'clientKeyPassphrase' | 'appProtocol'> & { name?: string };

/** The settings described as secrets (header values, the key passphrase, every protocol's credentials), once each. */
const SECRET_PATHS = [...new Set(ALL_SETTINGS.filter((s) => s.secret).map((s) => s.path))];
/** Secrets that are records of secrets (headers): a mask stands for one value of it, not the whole. */
const RECORD_PATHS = new Set(ALL_SETTINGS.filter((s) => s.secret && s.kind === 'headers').map((s) => s.path));

/** Every secret value an endpoint's settings hold: URL and proxy credentials, and every setting described as a secret. */
export function endpointSecrets(c: Settings): string[] {
  const found = [...urlSecrets(c.url), ...(c.proxy ? urlSecrets(c.proxy) : [])];
  for (const path of SECRET_PATHS) {
    // "Bearer abc…": each value whole, and each long enough word of it (a server may echo the token alone).
    for (const value of leaves(getPath(c, path))) found.push(value, ...value.split(/\s+/).filter((w) => w.length >= 8));
  }
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

/** A deep copy (settings are JSON), so values at the secret paths can be set without touching `c`. */
const copy = <C>(c: C): C => JSON.parse(JSON.stringify(c)) as C;

/** The settings as they may leave the process (the config answer, the window's form): every secret replaced by ***. */
export function maskSecrets<C extends Settings>(c: C): C {
  const out = copy(c);
  out.url = redactUrl(c.url);
  if (c.name !== undefined) out.name = endpointRedactor(c)(c.name);
  if (c.proxy !== undefined) out.proxy = redactUrl(c.proxy);
  for (const path of SECRET_PATHS) {
    const v = getPath(c, path);
    if (v !== undefined) setPath(out as Record<string, unknown>, path, maskLeaves(v));
  }
  return out;
}

/**
 * Settings sent back after maskSecrets (an edit form), with each mask that
 * still stands where the current settings hold a secret replaced by that
 * secret: a secret is kept unless the user typed a new one.
 */
export function unmaskSecrets<C extends Settings>(incoming: C, current: Settings): C {
  const out = copy(incoming);
  out.url = unmaskUrl(incoming.url, current.url);
  if (incoming.proxy !== undefined && current.proxy !== undefined) out.proxy = unmaskUrl(incoming.proxy, current.proxy);
  for (const path of SECRET_PATHS) {
    const sent = getPath(incoming, path);
    const was = getPath(current, path);
    if (sent === undefined || was === undefined) continue;
    if (RECORD_PATHS.has(path)) {
      // One mask per value: each header kept unless retyped, whatever the others do.
      const before = was as Record<string, string>;
      const merged = Object.entries(sent as Record<string, string>).map(([k, v]) => [k, v === REDACTED && before[k] !== undefined ? before[k] : v]);
      setPath(out as Record<string, unknown>, path, Object.fromEntries(merged));
    } else if (JSON.stringify(sent) === JSON.stringify(maskLeaves(was))) setPath(out as Record<string, unknown>, path, was);
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
