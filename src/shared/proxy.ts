// Which proxy an endpoint goes through: its own `proxy` setting, or the
// environment as curl, npm and git read it (HTTPS_PROXY for wss://, HTTP_PROXY
// for ws://, then ALL_PROXY; NO_PROXY exempts hosts). Loopback targets never go
// through a proxy from the environment: only an endpoint's own setting sends
// them there. Pure: the environment is passed in.

export const PROXY_PROTOCOLS = ['http:', 'https:', 'socks:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:'] as const;

/** `none`, or a proxy URL with one of PROXY_PROTOCOLS; the problem in words, or null. */
export function proxyProblem(setting: string): string | null {
  if (setting === 'none') return null;
  let u: URL;
  try {
    u = new URL(setting);
  } catch {
    return `"${setting}" is not a proxy URL (expected http://host:port, socks5://host:port or none)`;
  }
  if (!(PROXY_PROTOCOLS as readonly string[]).includes(u.protocol))
    return `a proxy URL starts with http://, https:// or socks5:// (this one starts with ${u.protocol}//)`;
  if (!u.hostname || !u.port) return 'a proxy URL names its host and port, such as http://proxy.example:3128';
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return 'a proxy URL is only scheme://[user:password@]host:port';
  return null;
}

type Env = Record<string, string | undefined>;
const envVar = (env: Env, name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;

const isLoopback = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '[::1]';

/** Whether NO_PROXY exempts host:port: `*`, a host and its subdomains (`example.com`, `.example.com`), an IP literal, each optionally with `:port`. */
export function noProxyMatches(noProxy: string, host: string, port: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const m = /^(\[[^\]]+\]|[^:]+|[0-9a-f:]+)(?::(\d+))?$/i.exec(entry.trim());
      if (!m) return false;
      if (m[2] && m[2] !== port) return false;
      const e = m[1]!
        .replace(/^\[|\]$/g, '')
        .replace(/^\*?\./, '')
        .toLowerCase();
      return h === e || h.endsWith(`.${e}`);
    });
}

/** The proxy URL an endpoint uses, or null for a direct connection. */
export function proxyFor(target: string, setting: string | undefined, env: Env): string | null {
  if (setting === 'none') return null;
  if (setting) return setting;
  const u = new URL(target);
  const host = u.hostname;
  if (isLoopback(host.replace(/^\[|\]$/g, ''))) return null;
  const proxy = (u.protocol === 'wss:' ? envVar(env, 'https_proxy') : envVar(env, 'http_proxy')) ?? envVar(env, 'all_proxy');
  if (!proxy) return null;
  const port = u.port || (u.protocol === 'wss:' ? '443' : '80');
  const noProxy = envVar(env, 'no_proxy');
  return noProxy && noProxyMatches(noProxy, host, port) ? null : proxy;
}
