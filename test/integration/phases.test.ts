// Every connect split into its phases, against real servers on 127.0.0.1: each slowness lands in its own phase,
// and the phases add up to the handshake time.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { EventOf, WsmonEvent } from '../../src/shared/events';
import type { ConnectPhases } from '../../src/shared/phases';
import { describeEvent } from '../../src/shared/describe';
import { selfSigned } from '../helpers/certs';
import { useRig } from '../helpers/harness';
import { netnsUnavailable, startResolverHost, type ResolverHost } from '../helpers/netns';

const sum = (p: ConnectPhases) => Object.values(p).reduce<number>((n, v) => n + (v ?? 0), 0);

describe('connect phases', () => {
  const rig = useRig();
  const openOf = async (id: string) => {
    await rig.log.nth(id, 'open', 1);
    return rig.log.of(id).find((e) => e.type === 'open') as EventOf<'open'>;
  };

  it('ws:// to an IP literal: no lookup, no TLS, no app handshake; a slow upgrade is the upgrade phase', async () => {
    const open = await openOf(rig.add(rig.lab.url('/', { upgradeDelay: 150 })));
    const p = open.phases!;
    expect(p).toMatchObject({ dnsMs: null, proxyMs: null, tlsMs: null, appMs: null });
    expect(p.tcpMs).toBeGreaterThanOrEqual(0);
    expect(p.upgradeMs).toBeGreaterThanOrEqual(150);
    expect(p.tcpMs!).toBeLessThan(150);
    expect(sum(p)).toBeCloseTo(open.handshakeMs, 2);
    expect(describeEvent(open)).toMatch(/^handshake \d+\.\d ms \(tcp \d+\.\d · upgrade 1\d\d\.\d\)/);
  });

  it('a name is looked up (dns), and an ack rule is the app phase', async () => {
    const url = rig.lab.url('/', { appPing: 'hello', appPong: 'welcome', pongDelay: 120 }).replace('127.0.0.1', 'localhost');
    const open = await openOf(rig.add(url, { onOpen: { send: ['hello'], ack: { kind: 'exact', text: 'welcome' } } }));
    const p = open.phases!;
    expect(p.dnsMs).toBeGreaterThanOrEqual(0);
    expect(p.appMs).toBeGreaterThanOrEqual(120);
    expect(p.upgradeMs).toBeLessThan(120);
    expect(sum(p)).toBeCloseTo(open.handshakeMs, 2);
  });

  it('a failed attempt names the phase it failed in and how long it had been in it', async () => {
    const errorOf = async (id: string) => (await rig.log.nth(id, 'error', 1)) as EventOf<'error'>;
    const refused = await errorOf(rig.add(rig.lab.url('/', { refuse: 503 }), { backoff: { initialMs: 60_000 } }));
    expect([refused.code, refused.inPhase]).toEqual(['HTTP_503', 'upgrade']);
    expect(refused.phaseMs).toBeGreaterThanOrEqual(0);
    expect(describeEvent(refused)).toMatch(/ \(in upgrade, after \d+\.\d ms\)$/);
    const noAck = await errorOf(
      rig.add(rig.lab.url('/'), { connectTimeoutMs: 300, onOpen: { send: ['hello'], ack: { kind: 'exact', text: 'never' } }, backoff: { initialMs: 60_000 } }),
    );
    expect([noAck.code, noAck.inPhase]).toEqual(['APP_HANDSHAKE_TIMEOUT', 'app']);
    expect(noAck.phaseMs).toBeGreaterThan(200);
  });

  describe('wss://', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-phases-'));
    const f = (name: string) => join(dir, name);

    it('a slow certificate callback is the TLS phase, after the lookup and TCP', async () => {
      selfSigned(dir, 'cert', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost');
      const context = createSecureContext({ key: readFileSync(f('cert.key')), cert: readFileSync(f('cert.pem')) });
      // A server slow to choose its certificate (by the name the client sends): the TLS handshake is slow, nothing else.
      const server = createHttpsServer({
        SNICallback: (_name, done) => setTimeout(() => done(null, context), 150),
        key: readFileSync(f('cert.key')),
        cert: readFileSync(f('cert.pem')),
      });
      new WebSocketServer({ server });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      // Without the certificate's issuer, the same server fails in the TLS phase.
      const untrusted = (await rig.log.nth(rig.add(`wss://localhost:${port}/`, { backoff: { initialMs: 60_000 } }), 'error', 1)) as EventOf<'error'>;
      const open = await openOf(rig.add(`wss://localhost:${port}/`, { caFile: f('cert.pem') })).finally(async () => {
        await rig.monitor.stop();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      });
      const p = open.phases!;
      expect(untrusted.inPhase).toBe('tls');
      expect(p.dnsMs).toBeGreaterThanOrEqual(0);
      expect(p.tlsMs).toBeGreaterThanOrEqual(150);
      expect(p.tcpMs!).toBeLessThan(150);
      expect(p.upgradeMs).toBeLessThan(150);
      expect(sum(p)).toBeCloseTo(open.handshakeMs, 2);
    });
  });
});

const noNetns = netnsUnavailable();
if (noNetns) console.log(`phases.test.ts: the resolver test is skipped, ${noNetns}`);

describe.skipIf(noNetns !== null)('connect phases: a real lookup', () => {
  let host: ResolverHost | null = null;
  afterEach(async () => {
    await host?.remove();
    host = null;
  });

  it('a slow resolver is the dns phase: the name goes to a resolver of our own that answers 150 ms late', async () => {
    host = await startResolverHost('slow.wsmon.test', 150);
    const run = await host.cli(['watch', `ws://slow.wsmon.test:${host.port}/`, '--json', '--duration', '2s']);
    const open = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as WsmonEvent)
      .find((e): e is EventOf<'open'> => e.type === 'open');
    expect(open, run.stdout + run.stderr).toBeDefined();
    const p = open!.phases!;
    expect(p.dnsMs!).toBeGreaterThanOrEqual(150);
    expect(p.tcpMs!).toBeLessThan(150);
    expect(p.upgradeMs).toBeLessThan(150);
    expect(sum(p)).toBeCloseTo(open!.handshakeMs, 2);
  }, 20_000);
});
