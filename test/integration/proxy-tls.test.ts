// Connecting from where users are: through real proxies from npm (an HTTP
// CONNECT proxy, a SOCKS5 server) and to a wss:// server that requires a client
// certificate, with certificates made by openssl in the test. All on 127.0.0.1.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createSocksServer } from '@pondwader/socks5-server';
import { createProxy } from 'proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { WebSocketServer } from 'ws';
import { Session } from '../../src/core/app/session';
import { parseEndpoint, type EndpointConfigInput } from '../../src/shared/config';
import type { EventOf } from '../../src/shared/events';
import { EventLog } from '../helpers/events';
import { NEW_P256_KEY, selfSigned } from '../helpers/certs';
import { FAST, useRig } from '../helpers/harness';

const listen = async <S extends { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }>(server: S, port = 0): Promise<number> => {
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
};

/** A real HTTP CONNECT proxy (npm `proxy`), optionally demanding Basic credentials; it tracks its sockets so it can be killed. */
async function httpProxy(
  opts: { auth?: string; port?: number } = {},
): Promise<{ url: (creds?: string) => string; port: number; tunnels: () => number; kill: () => Promise<void> }> {
  const server = createProxy(createHttpServer()) as HttpServer & { authenticate?: (req: { headers: Record<string, string | undefined> }) => boolean };
  if (opts.auth) server.authenticate = (req) => req.headers['proxy-authorization'] === `Basic ${Buffer.from(opts.auth!).toString('base64')}`;
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  let tunnels = 0;
  server.on('connect', () => tunnels++);
  const port = await listen(server, opts.port);
  return {
    port,
    url: (creds) => `http://${creds ? `${creds}@` : ''}127.0.0.1:${port}`,
    tunnels: () => tunnels,
    kill: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A real SOCKS5 server (npm @pondwader/socks5-server) fed by our own listener, so it can be closed with its sockets. */
async function socksProxy(socks: ReturnType<typeof createSocksServer>): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    socks._handleConnection(s);
  });
  const port = await listen(server);
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A free port now, for servers that cannot pick one themselves. */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  const port = await listen(probe);
  await new Promise((r) => probe.close(r));
  return port;
}

/** A server nobody here wrote (run in `cwd`), on a port it prints or one given; resolves once it accepts connections. */
async function foreignServer(
  cwd: string,
  command: string,
  args: string[],
  port: number | RegExp,
): Promise<{ port: number; url: string; stop: () => Promise<void> }> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<never>((_, reject) => child.once('exit', () => reject(new Error(`${command} exited: ${out}`))));
  exited.catch(() => {});
  const printed = new Promise<number>((resolve) => {
    const look = (d: Buffer) => {
      out += d.toString();
      const m = port instanceof RegExp ? port.exec(out) : null;
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
  });
  const at = typeof port === 'number' ? port : await Promise.race([printed, exited]);
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      if (child.exitCode !== null) throw new Error(`${command} exited: ${out}`);
      netConnect(at, '127.0.0.1')
        .once('connect', function (this: Socket) {
          this.destroy();
          resolve(true);
        })
        .once('error', () => resolve(false));
    });
  await waitFor(
    accepts,
    (up) => up,
    () => `${command} to accept connections: ${out}`,
    { everyMs: 25 },
  );
  return { port: at, url: `wss://127.0.0.1:${at}/`, stop: () => new Promise((r) => (child.once('exit', r), child.kill())) };
}

/** Debian's tinyproxy with Basic credentials, in the foreground; it answers wrong credentials with 401, not 407. */
async function tinyproxy(auth: [user: string, password: string]): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-tinyproxy-'));
  const port = await freePort(); // tinyproxy cannot be told to pick one itself
  writeFileSync(
    join(dir, 'tinyproxy.conf'),
    `Port ${port}\nListen 127.0.0.1\nTimeout 30\nAllow 127.0.0.1\nBasicAuth ${auth.join(' ')}\nLogLevel Critical\nMaxClients 20\n`,
  );
  return foreignServer(dir, TINYPROXY, ['-d', '-c', 'tinyproxy.conf'], port);
}
const TINYPROXY = '/usr/bin/tinyproxy';

describe('through a proxy', () => {
  const rig = useRig();

  it.skipIf(!existsSync(TINYPROXY))(
    'tinyproxy (a real proxy nobody here wrote): its 401 for wrong credentials is named as refused credentials, not missing ones',
    async () => {
      const proxy = await tinyproxy(['alice', 't1ny-s3cret']);
      try {
        const good = rig.add(rig.lab.url('/good'), { name: 'good', proxy: `http://alice:t1ny-s3cret@127.0.0.1:${proxy.port}` });
        await rig.log.nth(good, 'open');
        const bad = rig.add(rig.lab.url('/bad'), { name: 'bad', proxy: `http://alice:wrong@127.0.0.1:${proxy.port}`, backoff: { initialMs: 60_000 } });
        expect(await rig.log.nth(bad, 'error')).toMatchObject({
          code: 'PROXY_AUTH_REFUSED',
          message: `the proxy 127.0.0.1:${proxy.port} refused the user name and password in the proxy URL (HTTP 401 Unauthorized)`,
        });
        const none = rig.add(rig.lab.url('/none'), { name: 'none', proxy: `http://127.0.0.1:${proxy.port}`, backoff: { initialMs: 60_000 } });
        expect(await rig.log.nth(none, 'error')).toMatchObject({ code: 'PROXY_AUTH_REQUIRED' });
        expect(JSON.stringify(rig.log.events)).not.toContain('t1ny-s3cret');
      } finally {
        await rig.session.stop();
        await proxy.stop();
      }
    },
  );

  it('HTTP CONNECT: opens through the proxy and says so in the open event, with the proxy hop as its own phase', async () => {
    const proxy = await httpProxy();
    try {
      const id = rig.add(rig.lab.url('/'), { proxy: proxy.url() });
      const open = await rig.log.nth(id, 'open');
      expect(open.proxy).toBe(proxy.url());
      // The lookup and connect are the proxy's hop, inside proxyMs; then the upgrade through the tunnel.
      expect(open.phases).toMatchObject({ dnsMs: null, tcpMs: null, tlsMs: null, appMs: null });
      expect(open.phases!.proxyMs).toBeGreaterThan(0);
      expect(open.phases!.proxyMs! + open.phases!.upgradeMs).toBeCloseTo(open.handshakeMs, 2);
      // The socket goes to the proxy: the kernel's RTT is the hop to it, and the event says so.
      expect(await rig.log.nth(id, 'rtt', 2)).toMatchObject({ networkRttMs: expect.any(Number), networkTo: 'proxy' });
      expect(proxy.tunnels()).toBe(1);
    } finally {
      await rig.session.stop();
      await proxy.kill();
    }
  });

  it('HTTP CONNECT with authentication: right credentials open (and never reach an event); wrong ones are refused, missing ones required', async () => {
    const proxy = await httpProxy({ auth: 'alice:pr0xy-s3cret' });
    try {
      const good = rig.add(rig.lab.url('/good'), { name: 'good', proxy: proxy.url('alice:pr0xy-s3cret') });
      const open = await rig.log.nth(good, 'open');
      expect(open.proxy).toBe(`http://***:***@127.0.0.1:${proxy.port}`);
      const bad = rig.add(rig.lab.url('/bad'), { name: 'bad', proxy: proxy.url('alice:wrong'), backoff: { initialMs: 60_000 } });
      expect(await rig.log.nth(bad, 'error')).toMatchObject({
        phase: 'connect',
        code: 'PROXY_AUTH_REFUSED',
        message: `the proxy 127.0.0.1:${proxy.port} refused the user name and password in the proxy URL (HTTP 407 Proxy Authentication Required)`,
      });
      const none = rig.add(rig.lab.url('/none'), { name: 'none', proxy: proxy.url(), backoff: { initialMs: 60_000 } });
      expect(await rig.log.nth(none, 'error')).toMatchObject({
        phase: 'connect',
        code: 'PROXY_AUTH_REQUIRED',
        message: `the proxy 127.0.0.1:${proxy.port} requires authentication (HTTP 407 Proxy Authentication Required): set user:password in the proxy URL`,
      });
      expect(JSON.stringify(rig.log.events)).not.toContain('pr0xy-s3cret');
    } finally {
      await rig.session.stop();
      await proxy.kill();
    }
  });

  it('the proxy killed mid-connection: the close is reported, retries say the proxy is unreachable, and it reconnects once the proxy is back', async () => {
    let proxy = await httpProxy();
    const port = proxy.port;
    const id = rig.add(rig.lab.url('/'), { proxy: proxy.url(), backoff: { initialMs: 100, maxMs: 200, jitter: 'none' } });
    await rig.log.nth(id, 'open');
    await proxy.kill();
    await rig.log.nth(id, 'close');
    expect(await rig.log.nth(id, 'error')).toMatchObject({ code: 'PROXY_UNREACHABLE', message: `cannot reach the proxy 127.0.0.1:${port} (ECONNREFUSED)` });
    proxy = await httpProxy({ port });
    try {
      await rig.log.nth(id, 'open', 2);
    } finally {
      await rig.session.stop();
      await proxy.kill();
    }
  });

  it('a proxy that accepts the connection and never answers: the connect timeout covers the proxy hop', async () => {
    const accepted = new Set<Socket>();
    const hung = createNetServer((s) => void accepted.add(s));
    const port = await listen(hung);
    try {
      const id = rig.add(rig.lab.url('/'), { proxy: `http://127.0.0.1:${port}`, connectTimeoutMs: 300, backoff: { initialMs: 60_000 } });
      expect(await rig.log.nth(id, 'error')).toMatchObject({
        code: 'ETIMEDOUT',
        message: `no WebSocket handshake from 127.0.0.1:${rig.lab.port} within 300 ms (connect timeout, through the proxy http://127.0.0.1:${port})`,
      });
    } finally {
      await rig.session.stop();
      for (const s of accepted) s.destroy();
      await new Promise((r) => hung.close(r));
    }
  });

  it('SOCKS5 with authentication: right credentials open; wrong ones are named', async () => {
    const { port, close } = await socksProxy(createSocksServer({ auth: { username: 'bob', password: 's0cks-s3cret' } }));
    try {
      const good = rig.add(rig.lab.url('/good'), { name: 'good', proxy: `socks5://bob:s0cks-s3cret@127.0.0.1:${port}` });
      expect((await rig.log.nth(good, 'open')).proxy).toBe(`socks5://***:***@127.0.0.1:${port}`);
      const bad = rig.add(rig.lab.url('/bad'), { name: 'bad', proxy: `socks5://bob:nope@127.0.0.1:${port}`, backoff: { initialMs: 60_000 } });
      expect(await rig.log.nth(bad, 'error')).toMatchObject({
        code: 'SOCKS_AUTH_FAILED',
        message: `the SOCKS proxy 127.0.0.1:${port} refused the username and password`,
      });
      expect(JSON.stringify(rig.log.events)).not.toContain('s0cks-s3cret');
    } finally {
      await rig.session.stop();
      await close();
    }
  });
});

describe('the proxy from the environment', () => {
  it('ALL_PROXY carries a non-loopback host; NO_PROXY sends it direct', async () => {
    // The SOCKS server stands in for DNS: *.wsmon.test is this machine (no test leaves 127.0.0.1).
    const socks = createSocksServer();
    socks.setConnectionHandler((conn, sendStatus) => {
      const upstream = netConnect(conn.destPort, conn.destAddress.endsWith('.wsmon.test') ? '127.0.0.1' : conn.destAddress);
      upstream.once('connect', () => {
        sendStatus('REQUEST_GRANTED');
        conn.socket.pipe(upstream).pipe(conn.socket);
      });
      upstream.once('error', () => sendStatus('HOST_UNREACHABLE'));
      conn.socket.on('error', () => upstream.destroy());
      conn.socket.on('close', () => upstream.destroy());
    });
    const { port: socksPort, close } = await socksProxy(socks);
    const lab = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => lab.once('listening', r));
    const url = `ws://lab.wsmon.test:${(lab.address() as AddressInfo).port}/`;
    const run = async (env: Record<string, string>) => {
      const session = new Session({ env });
      const log = new EventLog(session.monitor);
      await session.start();
      const id = session.monitor.add(parseEndpoint({ ...FAST, url, backoff: { ...FAST.backoff, initialMs: 60_000 } })).id;
      const first = await log.waitFor((e) => e.endpoint === id && (e.type === 'open' || e.type === 'error'), 'open or error');
      await session.stop();
      return first;
    };
    try {
      const proxied = await run({ ALL_PROXY: `socks5h://127.0.0.1:${socksPort}` });
      expect(proxied).toMatchObject({ type: 'open', proxy: `socks5h://127.0.0.1:${socksPort}` });
      const direct = await run({ ALL_PROXY: `socks5h://127.0.0.1:${socksPort}`, NO_PROXY: 'localhost,.wsmon.test' });
      // Direct, the made-up name does not resolve: the bypass is real.
      expect(direct).toMatchObject({ type: 'error', phase: 'connect' });
      expect((direct as EventOf<'error'>).code).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
    } finally {
      await close();
      await new Promise((r) => lab.close(r));
    }
  });
});

describe('client certificates (mutual TLS)', () => {
  const rig = useRig();
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-mtls-'));
  const f = (name: string) => join(dir, name);
  const servers: HttpsServer[] = [];
  let url: string;
  let url12: string;

  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ca = (name: string) => selfSigned(dir, name, `/CN=${name}`);
  const leaf = (name: string, caName: string, san?: string) => {
    openssl('req', ...NEW_P256_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    if (san) writeFileSync(f(`${name}.ext`), `subjectAltName=${san}\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${caName}.pem`,
      '-CAkey',
      `${caName}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      ...(san ? ['-extfile', `${name}.ext`] : []),
    );
  };

  beforeAll(async () => {
    ca('ca');
    ca('other-ca');
    leaf('server', 'ca', 'IP:127.0.0.1');
    leaf('client', 'ca');
    leaf('stranger', 'other-ca');
    openssl('pkey', '-in', 'client.key', '-aes256', '-passout', 'pass:k3y-s3cret', '-out', 'client-encrypted.key');
    const start = async (maxVersion: 'TLSv1.2' | 'TLSv1.3') => {
      const server = createHttpsServer({
        key: readFileSync(f('server.key')),
        cert: readFileSync(f('server.pem')),
        ca: readFileSync(f('ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
        maxVersion,
      });
      new WebSocketServer({ server });
      servers.push(server);
      return `wss://127.0.0.1:${await listen(server)}/`;
    };
    url = await start('TLSv1.3');
    url12 = await start('TLSv1.2');
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  const tls = (over: Partial<EndpointConfigInput>): Partial<EndpointConfigInput> => ({ caFile: f('ca.pem'), backoff: { initialMs: 60_000 }, ...over });

  it('with the right certificate it opens', async () => {
    const id = rig.add(url, tls({ clientCert: f('client.pem'), clientKey: f('client.key') }));
    // Under TLS the kernel's RTT is read from the TCP socket the TLS layer wraps.
    const rtt = await rig.log.nth(id, 'rtt', 2);
    expect(rtt).toMatchObject({ networkRttMs: expect.any(Number) });
    expect(rtt).not.toHaveProperty('networkTo');
  });

  it('without one, the error says the server asks for it', async () => {
    const id = rig.add(url, tls({}));
    expect(await rig.log.nth(id, 'error')).toMatchObject({
      phase: 'handshake',
      code: 'CLIENT_CERT_REQUIRED',
      message: 'the server asks for a client certificate and none was sent (set clientCert and clientKey)',
    });
  });

  it('without one, over TLS 1.2 too', async () => {
    const id = rig.add(url12, tls({}));
    expect(await rig.log.nth(id, 'error')).toMatchObject({ code: 'CLIENT_CERT_REQUIRED' });
  });

  it('with one from another CA, the error says the server refused it', async () => {
    // Node's TLS server checks the certificate itself and drops the handshake without an alert (TLS 1.2 here;
    // over TLS 1.3 the client's side of the handshake is already done when the server drops it).
    const id = rig.add(url12, tls({ clientCert: f('stranger.pem'), clientKey: f('stranger.key') }));
    expect(await rig.log.nth(id, 'error')).toMatchObject({ phase: 'handshake', code: 'CLIENT_CERT_REFUSED' });
  });

  it("with one from another CA over TLS 1.3 (the server judges it after the client's handshake is done, then drops the connection): refused, not a reset", async () => {
    const id = rig.add(url, tls({ clientCert: f('stranger.pem'), clientKey: f('stranger.key') }));
    expect(await rig.log.nth(id, 'error')).toMatchObject({ phase: 'handshake', code: 'CLIENT_CERT_REFUSED' });
  });

  const PY_SERVER = `
import asyncio, ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain('server.pem', 'server.key')
ctx.load_verify_locations('ca.pem')
ctx.verify_mode = ssl.CERT_REQUIRED
async def handle(r, w):
    try:
        await r.read(100)
    except Exception:
        pass
    w.close()
async def main():
    srv = await asyncio.start_server(handle, '127.0.0.1', 0, ssl=ctx)
    print('PORT', srv.sockets[0].getsockname()[1], flush=True)
    await srv.serve_forever()
asyncio.run(main())
`;

  for (const [name, start] of [
    [
      'OpenSSL (openssl s_server -Verify)',
      async () => {
        const port = await freePort(); // -quiet prints no address, and without -quiet s_server ends at the first refused client
        return foreignServer(
          dir,
          'openssl',
          ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', 'server.pem', '-key', 'server.key', '-CAfile', 'ca.pem', '-Verify', '1', '-quiet'],
          port,
        );
      },
    ],
    ['Python asyncio over OpenSSL (resets without an alert)', () => foreignServer(dir, 'python3', ['-c', PY_SERVER], /PORT (\d+)/)],
  ] as const) {
    it(`a server that requires a client certificate, ${name}: none sent is REQUIRED, an untrusted one REFUSED`, async () => {
      const server = await start();
      try {
        const none = rig.add(server.url, tls({ name: 'none' }));
        expect(await rig.log.nth(none, 'error')).toMatchObject({ phase: 'handshake', code: 'CLIENT_CERT_REQUIRED' });
        const stranger = rig.add(server.url, tls({ name: 'stranger', clientCert: f('stranger.pem'), clientKey: f('stranger.key') }));
        expect(await rig.log.nth(stranger, 'error')).toMatchObject({ phase: 'handshake', code: 'CLIENT_CERT_REFUSED' });
      } finally {
        await rig.session.stop();
        await server.stop();
      }
    });
  }

  it('a server that asks for no certificate and drops the connection after TLS: a reset, not a certificate problem', async () => {
    const server = createHttpsServer({ key: readFileSync(f('server.key')), cert: readFileSync(f('server.pem')) });
    server.on('secureConnection', (s) => s.destroy());
    servers.push(server);
    const id = rig.add(`wss://127.0.0.1:${await listen(server)}/`, tls({ clientCert: f('client.pem'), clientKey: f('client.key') }));
    expect((await rig.log.nth(id, 'error')).code).not.toMatch(/CLIENT_CERT/);
  });

  it('an encrypted key opens with its passphrase; a wrong or missing one is a config problem at once', async () => {
    const id = rig.add(url, tls({ clientCert: f('client.pem'), clientKey: f('client-encrypted.key'), clientKeyPassphrase: 'k3y-s3cret' }));
    await rig.log.nth(id, 'rtt');
    expect(() => rig.add(url, tls({ name: 'wrong', clientCert: f('client.pem'), clientKey: f('client-encrypted.key'), clientKeyPassphrase: 'nope' }))).toThrow(
      'clientKey: the client key could not be decrypted with that passphrase',
    );
    expect(() => rig.add(url, tls({ name: 'none', clientCert: f('client.pem'), clientKey: f('client-encrypted.key') }))).toThrow(
      'clientKey: the client key is encrypted: give its passphrase (clientKeyPassphrase)',
    );
    expect(() => rig.add(url, tls({ name: 'mismatch', clientCert: f('client.pem'), clientKey: f('stranger.key') }))).toThrow(
      'clientKey: the client key does not belong to the client certificate',
    );
    expect(JSON.stringify(rig.log.events)).not.toContain('k3y-s3cret');
  });

  it('key files are checked like the CA file: a regular file of sane size', () => {
    expect(() => rig.add(url, tls({ clientCert: '/dev/zero', clientKey: f('client.key') }))).toThrow(
      'clientCert: the client certificate "/dev/zero" is a character device; wsmon reads regular files only',
    );
  });
});
