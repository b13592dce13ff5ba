// Which proxy an endpoint goes through: its setting, else the environment as curl reads it.
import { describe, expect, it } from 'vitest';
import { noProxyMatches, proxyFor, proxyProblem } from '../../src/shared/proxy';

describe('proxyFor', () => {
  const env = { HTTPS_PROXY: 'http://secure:3128', http_proxy: 'http://plain:3128', ALL_PROXY: 'socks5://all:1080' };

  it("uses the endpoint's own setting first, 'none' for never", () => {
    expect(proxyFor('wss://api.example/', 'socks5://mine:1080', env)).toBe('socks5://mine:1080');
    expect(proxyFor('wss://api.example/', 'none', env)).toBeNull();
    // An explicit setting is asked for: it applies to loopback too.
    expect(proxyFor('ws://127.0.0.1:9/', 'http://mine:3128', {})).toBe('http://mine:3128');
  });

  it('else HTTPS_PROXY for wss://, HTTP_PROXY for ws://, then ALL_PROXY (either case)', () => {
    expect(proxyFor('wss://api.example/', undefined, env)).toBe('http://secure:3128');
    expect(proxyFor('ws://api.example/', undefined, env)).toBe('http://plain:3128');
    expect(proxyFor('wss://api.example/', undefined, { all_proxy: 'socks5://all:1080' })).toBe('socks5://all:1080');
    expect(proxyFor('wss://api.example/', undefined, {})).toBeNull();
  });

  it('never sends loopback through a proxy from the environment', () => {
    for (const url of ['ws://127.0.0.1:9/', 'ws://127.3.2.1/', 'ws://localhost:80/', 'ws://app.localhost/', 'ws://[::1]:9/'])
      expect(proxyFor(url, undefined, env)).toBeNull();
  });

  it('honours NO_PROXY: *, hosts and their subdomains, leading dots, IP literals, ports', () => {
    expect(proxyFor('wss://api.example/', undefined, { ...env, NO_PROXY: '*' })).toBeNull();
    expect(noProxyMatches('example.com', 'api.example.com', '443')).toBe(true);
    expect(noProxyMatches('example.com', 'example.com', '443')).toBe(true);
    expect(noProxyMatches('.example.com', 'api.example.com', '443')).toBe(true);
    expect(noProxyMatches('example.com', 'badexample.com', '443')).toBe(false);
    expect(noProxyMatches('10.1.2.3, other', '10.1.2.3', '80')).toBe(true);
    expect(noProxyMatches('example.com:8443', 'example.com', '443')).toBe(false);
    expect(noProxyMatches('example.com:8443', 'example.com', '8443')).toBe(true);
    expect(noProxyMatches('[::1]:80 fd00::5', 'fd00::5', '80')).toBe(true);
    expect(proxyFor('wss://api.internal.example/', undefined, { ...env, no_proxy: 'internal.example' })).toBeNull();
  });
});

describe('proxyProblem', () => {
  it('accepts none and proxy URLs; names the mistake otherwise', () => {
    expect(proxyProblem('none')).toBeNull();
    expect(proxyProblem('http://u:p@proxy.example:3128')).toBeNull();
    expect(proxyProblem('socks5h://127.0.0.1:1080')).toBeNull();
    expect(proxyProblem('ftp://proxy:21')).toBe('a proxy URL starts with http://, https:// or socks5:// (this one starts with ftp://)');
    expect(proxyProblem('http://proxy.example')).toBe('a proxy URL names its host and port, such as http://proxy.example:3128');
    expect(proxyProblem('proxy:3128')).toMatch(/^a proxy URL starts with/);
    expect(proxyProblem('not a url')).toBe('"not a url" is not a proxy URL (expected http://host:port, socks5://host:port or none)');
  });
});
