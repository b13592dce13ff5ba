// Secrets at rest: header values, URLs carrying a password or token (the
// endpoint's and its proxy's), client key passphrases and an application
// protocol's credentials (MQTT password, Socket.IO auth …) are sealed before the
// endpoint list is written, with whatever cipher the
// platform offers (Electron's safeStorage in the desktop app), and opened on
// load. A value that cannot be opened (another machine, a reset keychain) is
// dropped and reported, never guessed.
import { APP_PROTOCOL_SECRETS } from '../../shared/app-protocols';
import type { EndpointConfigInput } from '../../shared/config';
import { urlSecrets } from '../../shared/redact';
import type { Channel } from '../../shared/settings/channels';

export interface Cipher {
  seal(plain: string): string;
  open(sealed: string): string;
}

const PREFIX = 'sealed:v1:';

/** A URL that carries a secret (a user name or password, a secret query or path parameter) is sealed whole. */
const urlHasSecret = (url: string) => urlSecrets(url).length > 0;

/** The list with every secret sealed. */
export function sealSecrets(list: EndpointConfigInput[], cipher: Cipher): EndpointConfigInput[] {
  return list.map((e) => ({
    ...e,
    url: urlHasSecret(e.url) ? PREFIX + cipher.seal(e.url) : e.url,
    ...(e.headers ? { headers: Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k, PREFIX + cipher.seal(v)])) } : {}),
    ...(e.proxy && urlHasSecret(e.proxy) ? { proxy: PREFIX + cipher.seal(e.proxy) } : {}),
    ...(e.clientKeyPassphrase !== undefined ? { clientKeyPassphrase: PREFIX + cipher.seal(e.clientKeyPassphrase) } : {}),
    ...(e.appProtocol ? { appProtocol: mapAppSecrets(e.appProtocol, (v) => PREFIX + cipher.seal(JSON.stringify(v))) } : {}),
  }));
}

/** Opens a sealed value (a plain one is returned as it is); one that cannot be opened is named in `problems` and null. */
function opener(cipher: Cipher, problems: string[]): (v: string, what: string) => string | null {
  return (v, what) => {
    if (!v.startsWith(PREFIX)) return v;
    try {
      return cipher.open(v.slice(PREFIX.length));
    } catch {
      problems.push(`${what} could not be decrypted on this computer; enter it again`);
      return null;
    }
  };
}

/** Alert channels with their secrets sealed: a chat's or webhook's address (whoever has it may post) and an e-mail password. */
export function sealChannels(list: Channel[], cipher: Cipher): Channel[] {
  return list.map((c) => ({
    ...c,
    ...(c.kind !== 'email' ? { url: PREFIX + cipher.seal(c.url) } : {}),
    ...(c.password !== undefined ? { password: PREFIX + cipher.seal(c.password) } : {}),
  }));
}

/**
 * The channels of a settings file as read (before it is parsed: a sealed
 * address is no URL), opened; a channel whose address cannot be opened is
 * dropped and named, one whose password cannot be loses it.
 */
export function openChannels(raw: unknown, cipher: Cipher): { channels: unknown; problems: string[] } {
  const problems: string[] = [];
  if (!Array.isArray(raw)) return { channels: raw, problems };
  const open = opener(cipher, problems);
  const channels = raw.flatMap((c: unknown, i) => {
    if (typeof c !== 'object' || c === null) return [c];
    const ch = { ...(c as Record<string, unknown>) };
    const who = typeof ch.name === 'string' ? `channel ${ch.name}` : `channel ${i + 1}`;
    if (typeof ch.url === 'string') {
      const url = open(ch.url, `the address of ${who}`);
      if (url === null) return [];
      ch.url = url;
    }
    if (typeof ch.password === 'string') {
      const password = open(ch.password, `the password of ${who}`);
      if (password === null) delete ch.password;
      else ch.password = password;
    }
    return [ch];
  });
  return { channels, problems };
}

type AppProtocolInput = NonNullable<EndpointConfigInput['appProtocol']>;

/** The protocol options with each credential field replaced by `f(value)`, or dropped where `f` gives undefined. */
function mapAppSecrets(p: AppProtocolInput, f: (v: unknown, field: string) => unknown): AppProtocolInput {
  const out: Record<string, unknown> = { ...p };
  for (const field of APP_PROTOCOL_SECRETS) {
    if (!(field in out) || out[field] === undefined) continue;
    const v = f(out[field], field);
    if (v === undefined) delete out[field];
    else out[field] = v;
  }
  return out as AppProtocolInput;
}

/** The list with every secret opened; what cannot be opened is dropped and named in `problems`. */
export function openSecrets(list: EndpointConfigInput[], cipher: Cipher): { endpoints: EndpointConfigInput[]; problems: string[] } {
  const problems: string[] = [];
  const open = opener(cipher, problems);
  const endpoints: EndpointConfigInput[] = [];
  for (const e of list) {
    const who = e.name ?? e.id ?? 'an endpoint';
    const url = open(e.url, `the URL of ${who}`);
    if (url === null) continue;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.headers ?? {})) {
      const value = open(v, `header ${k} of ${who}`);
      if (value !== null) headers[k] = value;
    }
    const opened: EndpointConfigInput = { ...e, url, ...(e.headers ? { headers } : {}) };
    if (e.proxy !== undefined) {
      const proxy = open(e.proxy, `the proxy of ${who}`);
      if (proxy === null) delete opened.proxy;
      else opened.proxy = proxy;
    }
    if (e.clientKeyPassphrase !== undefined) {
      const passphrase = open(e.clientKeyPassphrase, `the client key passphrase of ${who}`);
      if (passphrase === null) delete opened.clientKeyPassphrase;
      else opened.clientKeyPassphrase = passphrase;
    }
    if (e.appProtocol) {
      opened.appProtocol = mapAppSecrets(e.appProtocol, (v, field) => {
        if (typeof v !== 'string' || !v.startsWith(PREFIX)) return v;
        const plain = open(v, `the ${field} of ${who}`);
        return plain === null ? undefined : JSON.parse(plain);
      });
    }
    endpoints.push(opened);
  }
  return { endpoints, problems };
}
