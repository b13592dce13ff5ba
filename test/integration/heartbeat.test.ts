// Heartbeat strategies against a real server on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { EndpointConfigInput } from '../../src/shared/config';
import type { EventOf } from '../../src/shared/events';
import { bundleForNode } from '../helpers/bundle';
import { until, useRig } from '../helpers/harness';

describe('heartbeat against the lab', () => {
  const rig = useRig();

  it('healthy: opens, measures RTT every interval, closes cleanly on stop', async () => {
    const id = rig.add(rig.lab.url('/', {}));
    await rig.log.nth(id, 'rtt', 3);
    const status = rig.records.status(id);
    expect(status.state).toBe('open');
    expect(status.stats.rtt.samples).toBeGreaterThanOrEqual(3);
    expect(status.stats.heartbeatsMissed).toBe(0);
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*']);
    const open = rig.log.of(id).find((e) => e.type === 'open') as EventOf<'open'>;
    expect(open).toMatchObject({ attempt: 0, protocol: '' });
    const rtts = rig.log.of(id).filter((e) => e.type === 'rtt') as EventOf<'rtt'>[];
    expect(rtts.map((r) => r.seq)).toEqual(rtts.map((_, i) => i + 1));
    // Each RTT is a real span: not negative, and no longer than the connection had been open when it was read.
    expect(rtts.every((r) => r.via === 'ping' && r.rttMs >= 0 && r.rttMs <= r.mono - open.mono)).toBe(true);
    expect(rig.lab.stats.pingsReceived).toBeGreaterThanOrEqual(3);

    await rig.monitor.stop();
    const close = rig.log.of(id).at(-1) as EventOf<'close'>;
    expect(close).toMatchObject({ type: 'close', code: 1000, wasClean: true, initiator: 'client' });
    expect(close.uptimeMs).toBeGreaterThanOrEqual(200);
  });

  it('an answer reaches each listener as it asked: as its event, as its sample (no event), or not at all, in the order they came', async () => {
    const order: string[] = [];
    const samples: { id: string; mono: number; seq: number; rttMs: number; via: string }[] = [];
    let quietRtts = 0;
    let quietOthers = 0;
    const offs = [
      rig.monitor.on((e) => e.type === 'rtt' && order.push('event')),
      rig.monitor.on(() => {}, {
        rtt: (id, mono, s) => {
          order.push('sample');
          samples.push({ id, mono, seq: s.seq, rttMs: s.rttMs, via: s.via });
        },
      }),
      rig.monitor.on((e) => (e.type === 'rtt' ? quietRtts++ : quietOthers++), { rtt: false }),
    ];
    const id = rig.add(rig.lab.url('/', {}));
    await rig.log.nth(id, 'rtt', 3);
    offs.forEach((off) => off());
    const events = rig.log.of(id).filter((e) => e.type === 'rtt') as EventOf<'rtt'>[];
    // The sample is the event's figures, at the event's time.
    expect(samples.slice(0, 3)).toEqual(events.slice(0, 3).map((e) => ({ id, mono: e.mono, seq: e.seq, rttMs: e.rttMs, via: e.via })));
    expect(order.slice(0, 4)).toEqual(['event', 'sample', 'event', 'sample']);
    expect(quietRtts).toBe(0);
    expect(quietOthers).toBeGreaterThanOrEqual(3); // endpoint-added, connecting, open
  });

  it('slow pong: RTT matches the injected delay', async () => {
    const id = rig.add(rig.lab.url('/', { pongDelay: 100 }), { heartbeat: { intervalMs: 250, timeoutMs: 1000 } });
    await rig.log.nth(id, 'rtt', 5);
    const rtts = (rig.log.of(id).filter((e) => e.type === 'rtt') as EventOf<'rtt'>[]).map((r) => r.rttMs);
    for (const r of rtts) expect(r).toBeGreaterThanOrEqual(100);
    const median = [...rtts].sort((a, b) => a - b)[Math.floor(rtts.length / 2)]!;
    expect(median).toBeLessThanOrEqual(105);
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*']);
  });

  it('lost pongs below the limit are counted but do not kill the connection', async () => {
    const id = rig.add(rig.lab.url('/', { dropEvery: 2 }));
    await rig.log.nth(id, 'heartbeat-missed', 3);
    expect(rig.log.types(id, false).slice(0, 3)).toEqual(['endpoint-added', 'connecting', 'open']);
    expect(rig.log.types(id, false)).not.toContain('close');
    // In beat order (a verdict can follow a later beat's answer when this process is slow: it waits for the reads).
    const beats = rig.log.of(id).filter((e): e is EventOf<'rtt' | 'heartbeat-missed'> => e.type === 'rtt' || e.type === 'heartbeat-missed');
    expect(
      beats
        .sort((a, b) => a.seq - b.seq)
        .slice(0, 6)
        .map((e) => `${e.type} ${e.seq}`),
    ).toEqual(['rtt 1', 'heartbeat-missed 2', 'rtt 3', 'heartbeat-missed 4', 'rtt 5', 'heartbeat-missed 6']);
    const misses = rig.log.of(id).filter((e) => e.type === 'heartbeat-missed') as EventOf<'heartbeat-missed'>[];
    expect(misses.map((m) => m.missed)).toEqual([1, 1, 1]);
    const s = rig.records.status(id);
    expect(s.state).toBe('open');
    // Half the beats are lost; the loss is what was seen so far: answers read before a verdict that waits count too.
    const answered = rig.log.of(id).filter((e) => e.type === 'rtt' && !e.late).length;
    expect(s.stats.loss).toBeCloseTo(3 / (3 + answered), 5);
    expect(answered).toBeGreaterThanOrEqual(3);
  });

  it('lost pongs at the limit: terminated, reported as a heartbeat death, retried', async () => {
    const id = rig.add(rig.lab.url('/', { dropEvery: 1 }), { backoff: { initialMs: 60_000 } });
    const sched = await rig.log.nth(id, 'reconnect-scheduled');
    expect(rig.log.types(id, false)).toEqual(['endpoint-added', 'connecting', 'open', 'heartbeat-missed', 'heartbeat-missed', 'close', 'reconnect-scheduled']);
    const close = rig.log.of(id).find((e) => e.type === 'close') as EventOf<'close'>;
    expect(close).toMatchObject({ code: 1006, wasClean: false, initiator: 'heartbeat' });
    expect(sched).toMatchObject({ attempt: 1, delayMs: 60_000 });
    const s = rig.records.status(id);
    expect(s.state).toBe('waiting');
    expect(s.stats.disconnects.heartbeat).toBe(1);
  });

  it('half-open peer: declared dead within misses × interval + timeout of its last answer', async () => {
    const id = rig.add(rig.lab.url('/', { silentAfter: 350 }), { backoff: { initialMs: 60_000 } });
    const close = await rig.log.nth(id, 'close');
    const lastRtt = rig.log
      .of(id)
      .filter((e) => e.type === 'rtt')
      .at(-1)!;
    expect(close).toMatchObject({ initiator: 'heartbeat', code: 1006 });
    const bound = 2 * 100 + 80;
    // The bound is exact under a manual clock (unit test); here allow event-loop delay on a busy machine.
    expect(close.mono - lastRtt.mono).toBeLessThanOrEqual(bound + 150);
    expect(close.mono - lastRtt.mono).toBeGreaterThanOrEqual(100 + 80);
    expect(rig.log.types(id).slice(-4)).toEqual(['heartbeat-missed', 'heartbeat-missed', 'close', 'reconnect-scheduled']);
  });

  it('message mode: sends the custom payload and recognises the answer by a JSON field', async () => {
    const url = rig.lab.url('/', { appPing: 'hello?', appPong: '{"type":"pong","t":1}' });
    const id = rig.add(url, {
      heartbeat: { mode: 'message', payload: 'hello?', match: { kind: 'json', path: 'type', equals: 'pong' } },
    });
    const rtt = await rig.log.nth(id, 'rtt', 3);
    expect(rtt.via).toBe('message');
    expect(rig.lab.stats.appPingsReceived).toBeGreaterThanOrEqual(3);
    expect(rig.lab.stats.pingsReceived).toBe(0);
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*']);
  });

  it('message mode: an answer that does not match the rule is a miss', async () => {
    const id = rig.add(rig.lab.url('/', { appPong: 'PONG' }), {
      heartbeat: { mode: 'message', match: { kind: 'regex', pattern: '^pong$', flags: '' } },
      backoff: { initialMs: 60_000 },
    });
    await rig.log.nth(id, 'close');
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'heartbeat-missed', 'heartbeat-missed', 'close', 'reconnect-scheduled']);
  });

  it('passive mode: the server’s pings keep it alive; silence past the deadline kills it', async () => {
    const id = rig.add(rig.lab.url('/', { serverPing: 60, silentAfter: 500 }), {
      heartbeat: { mode: 'passive', intervalMs: 150, timeoutMs: 100 },
      backoff: { initialMs: 60_000 },
    });
    const close = await rig.log.nth(id, 'close');
    expect(close.initiator).toBe('heartbeat');
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'heartbeat-missed', 'heartbeat-missed', 'close', 'reconnect-scheduled']);
    const firstMiss = rig.log.of(id).find((e) => e.type === 'heartbeat-missed')!;
    const open = rig.log.of(id).find((e) => e.type === 'open')!;
    expect(firstMiss.mono - open.mono).toBeGreaterThanOrEqual(500); // no miss while the server was pinging
    expect(rig.lab.stats.pingsReceived).toBe(0); // passive never pings
  });

  it('a flood of messages does not disturb the heartbeat', async () => {
    // The pongs queue behind 5 MB of flood in the same TCP stream, so the timeout must allow reading it.
    const id = rig.add(rig.lab.url('/', { flood: 20_000, floodSize: 256 }), { heartbeat: { timeoutMs: 2000 } });
    await rig.log.nth(id, 'rtt', 3);
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*']);
  });

  // Attribution: an answer is credited only to the beat it answers (README, "What counts as an answer").
  const LATE = { heartbeat: { intervalMs: 400, timeoutMs: 200, misses: 3 }, backoff: { initialMs: 60_000 } };
  const lateSequence = [
    'endpoint-added',
    'connecting',
    'open',
    'heartbeat-missed',
    'rtt',
    'heartbeat-missed',
    'rtt',
    'heartbeat-missed',
    'close',
    'reconnect-scheduled',
  ];

  it('ping mode, every answer 500 ms late for a 200 ms timeout: each late answer credited to its own beat with its real RTT; dead at the third miss', async () => {
    const id = rig.add(rig.lab.url('/', { pongDelay: 500 }), LATE);
    await rig.log.nth(id, 'reconnect-scheduled');
    expect(rig.log.types(id, false)).toEqual(lateSequence);
    const rtts = rig.log.of(id).filter((e) => e.type === 'rtt') as EventOf<'rtt'>[];
    expect(rtts.map((r) => [r.seq, r.late, r.via])).toEqual([
      [1, true, 'ping'],
      [2, true, 'ping'],
    ]);
    for (const r of rtts) expect(r.rttMs).toBeGreaterThanOrEqual(500);
    expect(rig.log.of(id).find((e) => e.type === 'close')).toMatchObject({ initiator: 'heartbeat' });
    expect(rig.records.status(id).stats).toMatchObject({ heartbeatsAnswered: 0, heartbeatsMissed: 3, heartbeatsLate: 2, loss: 1 });
  });

  it('message mode, answers 500 ms late: matched in order to the missed beats, never to the next one', async () => {
    const id = rig.add(rig.lab.url('/', { pongDelay: 500 }), { ...LATE, heartbeat: { ...LATE.heartbeat, mode: 'message' } });
    await rig.log.nth(id, 'reconnect-scheduled');
    expect(rig.log.types(id, false)).toEqual(lateSequence);
    const rtts = rig.log.of(id).filter((e) => e.type === 'rtt') as EventOf<'rtt'>[];
    expect(rtts.map((r) => [r.seq, r.late, r.via])).toEqual([
      [1, true, 'message'],
      [2, true, 'message'],
    ]);
    for (const r of rtts) expect(r.rttMs).toBeGreaterThanOrEqual(500);
  });

  it('a server that never answers pings but sends unsolicited pongs: no RTT sample, the misses count, dead', async () => {
    const id = rig.add(rig.lab.url('/', { dropEvery: 1, unsolicitedPong: 20 }), { backoff: { initialMs: 60_000 } });
    await rig.log.nth(id, 'reconnect-scheduled');
    expect(rig.log.types(id, false)).toEqual(['endpoint-added', 'connecting', 'open', 'heartbeat-missed', 'heartbeat-missed', 'close', 'reconnect-scheduled']);
    expect(rig.records.status(id).stats).toMatchObject({ heartbeatsAnswered: 0, heartbeatsMissed: 2, loss: 1 });
  });

  it('a server that never reads a beat and forges answers (pongs "1"…"30", pong-shaped frames, "pong N" messages every 20 ms): no RTT sample, dead', async () => {
    const forger = { dropEvery: 1, forgePongs: 20 };
    const viaPing = rig.add(rig.lab.url('/', forger), { backoff: { initialMs: 60_000 } });
    const viaMessage = rig.add(rig.lab.url('/', forger), {
      heartbeat: { mode: 'message', payload: 'ping {seq}', match: { kind: 'exact', text: 'pong {seq}' } },
      backoff: { initialMs: 60_000 },
    });
    for (const id of [viaPing, viaMessage]) {
      await rig.log.nth(id, 'reconnect-scheduled');
      expect(rig.log.types(id, false)).toEqual([
        'endpoint-added',
        'connecting',
        'open',
        'heartbeat-missed',
        'heartbeat-missed',
        'close',
        'reconnect-scheduled',
      ]);
      expect(rig.records.status(id).stats).toMatchObject({ heartbeatsAnswered: 0, heartbeatsMissed: 2, loss: 1 });
    }
  });

  it('passive mode has no loss: its silences are counted apart', async () => {
    const id = rig.add(rig.lab.url('/', { tick: 50, silentAfter: 300 }), {
      heartbeat: { mode: 'passive', intervalMs: 150, timeoutMs: 100, misses: 2 },
      backoff: { initialMs: 60_000 },
    });
    await rig.log.nth(id, 'close');
    const misses = rig.log.of(id).filter((e) => e.type === 'heartbeat-missed') as EventOf<'heartbeat-missed'>[];
    expect(misses.map((m) => [m.missed, m.silence])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(rig.records.status(id).stats).toMatchObject({ heartbeatsMissed: 0, silences: 2, loss: null });
  });

  it('freshness: a feed that stops delivering is stale while its pongs still come back, and fresh when data resumes', async () => {
    const feed = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => feed.once('listening', r));
    let sending = true;
    const timer = setInterval(() => sending && feed.clients.forEach((c) => c.send('{"price":1}')), 20);
    try {
      const url = `ws://127.0.0.1:${(feed.address() as AddressInfo).port}/`;
      const id = rig.add(url, { freshness: { everyMs: 200, match: { kind: 'json', path: 'price', equals: 1 } }, backoff: { initialMs: 60_000 } });
      await rig.log.nth(id, 'rtt', 3);
      sending = false;
      const stale = await rig.log.nth(id, 'stale');
      expect(stale).toMatchObject({ expectedMs: 200 });
      expect(stale.silentMs).toBeGreaterThanOrEqual(200);
      expect(rig.records.status(id)).toMatchObject({ state: 'open', staleSinceMono: expect.any(Number) });
      const rttsWhileStale = rig.log.of(id).filter((e) => e.type === 'rtt').length;
      await rig.log.nth(id, 'rtt', rttsWhileStale + 2); // the connection itself is fine: pongs keep coming
      sending = true;
      const fresh = await rig.log.nth(id, 'fresh');
      expect(fresh.silentMs).toBeGreaterThanOrEqual(stale.silentMs);
      expect(rig.records.status(id).staleSinceMono).toBeNull();
      expect(rig.log.types(id, false).filter((t) => t === 'stale' || t === 'fresh')).toEqual(['stale', 'fresh']);
    } finally {
      clearInterval(timer);
      for (const c of feed.clients) c.terminate();
      await new Promise((r) => feed.close(r));
    }
  });
});

describe('a stall of wsmon’s own process', () => {
  const rig = useRig();
  let peer: ChildProcess;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-stall-'));

  beforeAll(async () => {
    // The peer runs in its own process: it answers while this one is stalled.
    peer = spawn(process.execPath, [await bundleForNode('test/helpers/children/stall-peer.ts', 'external')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => createInterface({ input: peer.stdout! }).once('line', resolve));
    port = (JSON.parse(line) as { port: number }).port;
  }, 60_000);
  afterAll(() => {
    peer?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** Blocks this process in the check phase until the peer's flag exists and `after` has passed (10 s at most: failing). */
  function stallUntil(flag: string, after: number): void {
    const began = performance.now();
    setImmediate(() => {
      while (!(existsSync(flag) && performance.now() > after)) if (performance.now() - began > 10_000) throw new Error('the peer never answered');
    });
  }

  /**
   * Adds an endpoint on the peer's `path` and, once its first ping is out, blocks this process's event loop
   * (in the check phase, where an I/O callback or a long collection would) until the peer has written what it
   * answers and `deadlineMs` after the ping has passed: the next turn of the loop finds the timer due and the
   * peer's bytes unread. The stall is the subject, not a wait: it ends on the peer's flag, or after 10 s (failing).
   */
  function stallAfterFirstPing(path: string, deadlineMs: number, over: Partial<EndpointConfigInput> = {}): string {
    const flag = join(dir, path.slice(1));
    rmSync(flag, { force: true });
    const id = rig.add(`ws://127.0.0.1:${port}${path}?flag=${encodeURIComponent(flag)}`, { name: path.slice(1), backoff: { initialMs: 60_000 }, ...over });
    const off = rig.monitor.onFrame((from, f) => {
      if (from !== id || f.op !== 'ping' || f.dir !== 'out') return;
      off();
      stallUntil(flag, performance.now() + deadlineMs + 20);
    });
    return id;
  }

  const beat = { heartbeat: { intervalMs: 5000, timeoutMs: 200, misses: 1 } };

  it('an answer that came in time is the beat’s answer, not a miss, though read after the deadline', async () => {
    const id = stallAfterFirstPing('/answer', 200, beat);
    const rtt = await rig.log.nth(id, 'rtt');
    expect(rtt.seq).toBe(1);
    // Its RTT includes the stall: what this process saw, the only clock it has.
    expect(rtt.rttMs).toBeGreaterThan(200);
    expect(rig.log.types(id, false)).not.toContain('heartbeat-missed');
    expect(rig.records.status(id).state).toBe('open');
  });

  it('a peer that closed in time is reported as closed by the peer, not as dead of silence', async () => {
    const id = stallAfterFirstPing('/close', 200, beat);
    const close = await rig.log.nth(id, 'close');
    expect(close).toMatchObject({ code: 1001, initiator: 'server' });
    expect(rig.log.types(id, false)).not.toContain('heartbeat-missed');
  });

  it('data that came in time keeps a feed fresh, though read after its deadline', async () => {
    const id = stallAfterFirstPing('/say', 200, { heartbeat: { intervalMs: 5000, timeoutMs: 4000 }, freshness: { everyMs: 200 } });
    await rig.log.nth(id, 'rtt');
    // The check that was due during the stall runs once what came in is read: after this turn's reads.
    await new Promise((r) => setImmediate(r));
    expect(rig.log.types(id, false)).not.toContain('stale');
  });

  it('an upgrade answered in time opens the connection, though read after the connect timeout', async () => {
    const flag = join(dir, 'slow-upgrade');
    rmSync(flag, { force: true });
    rmSync(`${flag}.req`, { force: true });
    const timeoutMs = 200;
    const began = performance.now();
    const id = rig.add(`ws://127.0.0.1:${port}/slow-upgrade?flag=${encodeURIComponent(flag)}`, {
      name: 'slow-upgrade',
      connectTimeoutMs: timeoutMs,
      backoff: { initialMs: 60_000 },
    });
    // Once the peer has the request, stall (in the check phase) until its answer is in the socket and the timeout passed.
    await until(() => existsSync(`${flag}.req`), 'the peer to get the upgrade request');
    stallUntil(flag, began + timeoutMs + 50);
    await rig.log.nth(id, 'open');
    expect(rig.log.types(id, false)).not.toContain('error');
  });

  it('a frame that came in time is proof of life for a passive watch, though read after its deadline', async () => {
    const flag = join(dir, 'feed');
    rmSync(flag, { force: true });
    // Proof of life is due within interval + timeout of the open, then within every interval: 200 ms, then 100.
    const id = rig.add(`ws://127.0.0.1:${port}/feed?flag=${encodeURIComponent(flag)}`, {
      name: 'feed',
      heartbeat: { mode: 'passive', intervalMs: 100, timeoutMs: 100, misses: 1 },
      backoff: { initialMs: 60_000 },
    });
    let frames = 0;
    const off = rig.monitor.onFrame((from, f) => void (from === id && f.dir === 'in' && frames++));
    await rig.log.nth(id, 'open');
    // Stall until the peer's first message is in the socket and the first deadline has passed.
    stallUntil(flag, performance.now() + 220);
    // The peer goes on sending every 50 ms: past the stall and two more deadlines, nothing was ever missed.
    await until(() => frames >= 8, 'eight messages from the feed');
    off();
    expect(rig.log.types(id, false)).not.toContain('heartbeat-missed');
    expect(rig.records.status(id).state).toBe('open');
  });
});
