// The agent that carries a connection through a proxy: HTTP CONNECT (and
// HTTPS) through https-proxy-agent, SOCKS 4/5 through socks-proxy-agent (well
// kept, and used by npm itself), and what the proxy's failures are called.
import type { Agent } from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { redactUrl } from '../../shared/redact';
import type { NamedError } from './errors';

export interface ProxyRoute {
  agent: Agent;
  /** The proxy as events show it (credentials masked). */
  shown: string;
  /** The proxy's answer to CONNECT (HTTP proxies), once it came. */
  answer: { statusCode: number; statusText: string } | null;
  /** Whether the proxy URL carries a user name (and so credentials were offered). */
  credentials: boolean;
}

export function proxyRoute(proxyUrl: string): ProxyRoute {
  const shown = redactUrl(proxyUrl).replace(/\/$/, '');
  const credentials = new URL(proxyUrl).username !== '';
  if (proxyUrl.startsWith('socks')) return { agent: new SocksProxyAgent(proxyUrl), shown, answer: null, credentials };
  const agent = new HttpsProxyAgent(proxyUrl);
  const route: ProxyRoute = { agent, shown, answer: null, credentials };
  agent.on('proxyConnect', (res: { statusCode: number; statusText: string }) => (route.answer = { statusCode: res.statusCode, statusText: res.statusText }));
  return route;
}

const where = (shown: string) => new URL(shown).host;

/**
 * The proxy's refusal of a tunnel (an HTTP status other than 200), in its own
 * words. 407, and the 401 some proxies (tinyproxy) send instead, mean missing
 * credentials when none were offered and refused ones when they were.
 */
export function proxyRefusal(route: ProxyRoute): NamedError | null {
  const a = route.answer;
  if (!a || a.statusCode === 200) return null;
  const status = `HTTP ${a.statusCode}${a.statusText ? ` ${a.statusText}` : ''}`;
  if (a.statusCode === 407 || a.statusCode === 401) {
    return route.credentials
      ? {
          phase: 'connect',
          code: 'PROXY_AUTH_REFUSED',
          message: `the proxy ${where(route.shown)} refused the user name and password in the proxy URL (${status})`,
        }
      : {
          phase: 'connect',
          code: 'PROXY_AUTH_REQUIRED',
          message: `the proxy ${where(route.shown)} requires authentication (${status}): set user:password in the proxy URL`,
        };
  }
  return { phase: 'connect', code: `PROXY_HTTP_${a.statusCode}`, message: `the proxy ${where(route.shown)} refused the tunnel with ${status}` };
}

// socks' own messages, e.g. "Socks5 proxy rejected connection - ConnectionRefused" (RFC 1928 §6 replies).
const SOCKS_REPLY: Record<string, string> = {
  Failure: 'a general failure',
  NotAllowed: 'not allowed by its rules',
  NetworkUnreachable: 'network unreachable',
  HostUnreachable: 'host unreachable',
  ConnectionRefused: 'connection refused by the server',
  TTLExpired: 'TTL expired',
  CommandNotSupported: 'command not supported',
  AddressNotSupported: 'address type not supported',
};

/** A connection failure while a proxy is in use, named as the proxy's where it is; null when it is the server's. */
export function proxyFailure(route: ProxyRoute, err: Error & { code?: string }): NamedError | null {
  const refused = proxyRefusal(route);
  if (refused) return refused;
  const socks = /^Socks.*rejected connection - (\w+)/.exec(err.message);
  if (socks) {
    const reply = socks[1]!;
    return {
      phase: 'connect',
      code: `SOCKS_${reply.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
      message: `the SOCKS proxy ${where(route.shown)} could not connect: ${SOCKS_REPLY[reply] ?? reply}`,
    };
  }
  if (/Socks5 Authentication failed/i.test(err.message))
    return { phase: 'connect', code: 'SOCKS_AUTH_FAILED', message: `the SOCKS proxy ${where(route.shown)} refused the username and password` };
  if (/no accepted authentication type/i.test(err.message))
    return {
      phase: 'connect',
      code: 'SOCKS_AUTH_REQUIRED',
      message: `the SOCKS proxy ${where(route.shown)} requires authentication: set user:password in the proxy URL`,
    };
  if (/^Socks/i.test(err.message)) return { phase: 'connect', code: 'SOCKS_ERROR', message: `the SOCKS proxy ${where(route.shown)} failed: ${err.message}` };
  // Before the proxy answered, a network error is about the proxy, not the server behind it.
  if (route.answer === null && err.code && /^E[A-Z]+$/.test(err.code)) {
    return { phase: 'connect', code: 'PROXY_UNREACHABLE', message: `cannot reach the proxy ${where(route.shown)} (${err.code})` };
  }
  return null;
}
