// The loopback guard, one rule for every server the CLI starts on this
// machine (the web bridge, metrics): a loopback address only where the server
// controls the monitor, and a Host header that names loopback, so a web page
// that rebinds its own name to 127.0.0.1 (DNS rebinding) cannot reach it.

/** The names and addresses that are this machine alone. */
export const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

/** The Host headers a request to a loopback server on `port` may carry (and the bound host's own name). */
export function loopbackHosts(port: number, host?: string): Set<string> {
  return new Set([...(host ? [`${host.includes(':') ? `[${host}]` : host}:${port}`] : []), `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** True when a request's Host header names this loopback server. */
export function hostAllowed(hostHeader: string | undefined, port: number, host?: string): boolean {
  return loopbackHosts(port, host).has(hostHeader ?? '');
}
