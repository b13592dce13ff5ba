// Backoff and user actions against real sockets.
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../src/shared/events';
import { useRig } from '../helpers/harness';

const scheduled = (events: { type: string }[]) =>
  (events.filter((e) => e.type === 'reconnect-scheduled') as EventOf<'reconnect-scheduled'>[]).map((e) => [e.attempt, e.delayMs]);

describe('reconnect with backoff (real clock)', () => {
  const rig = useRig();

  it('flapping server (accepts, then drops at once): delays keep growing, no tight loop', async () => {
    const id = rig.add(rig.lab.url('/', { flap: true }), { backoff: { initialMs: 40, multiplier: 2, resetAfterMs: 10_000 } });
    await rig.log.nth(id, 'reconnect-scheduled', 5);
    expect(scheduled(rig.log.of(id))).toEqual([
      [1, 40],
      [2, 80],
      [3, 160],
      [4, 320],
      [5, 640],
    ]);
    const connecting = (rig.log.of(id).filter((e) => e.type === 'connecting') as EventOf<'connecting'>[]).map((e) => e.attempt);
    expect(connecting).toEqual([0, 1, 2, 3, 4]);
    // The server really saw the gaps grow.
    const gaps = rig.lab.stats.upgrades.slice(1).map((t, i) => t - rig.lab.stats.upgrades[i]!);
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(40 * 2 ** i));
    expect(rig.records.status(id).stats.reconnectAttempts).toBe(5);
  });

  it('server restart: reconnects; attempts reset only after staying healthy for resetAfter', async () => {
    const id = rig.add(rig.lab.url('/'), { backoff: { initialMs: 40, multiplier: 2, resetAfterMs: 400 } });
    const firstOpen = await rig.log.nth(id, 'open');
    await rig.log.waitFor((e) => e.endpoint === id && e.type === 'rtt' && e.mono > firstOpen.mono + 500, 'healthy past resetAfter');

    // Down for a while: refused retries count up, then it comes back.
    await rig.lab.restart(250);
    const back = await rig.log.nth(id, 'open', 2);
    const downAttempts = back.attempt;
    expect(downAttempts).toBeGreaterThanOrEqual(2);
    expect(rig.log.types(id).slice(4)).toEqual([
      'close',
      'reconnect-scheduled',
      ...Array(downAttempts - 1)
        .fill(['connecting', 'error', 'reconnect-scheduled'])
        .flat(),
      'connecting',
      'open',
    ]);

    // Dropped again before resetAfter: the count continues.
    await rig.lab.restart(0);
    const sched = await rig.log.nth(id, 'reconnect-scheduled', downAttempts + 1);
    expect(sched.attempt).toBe(downAttempts + 1);
    const third = await rig.log.nth(id, 'open', 3);

    // Healthy for longer than resetAfter: the next drop starts again at attempt 1.
    await rig.log.waitFor((e) => e.endpoint === id && e.type === 'rtt' && e.mono > third.mono + 500, 'healthy past resetAfter');
    await rig.lab.restart(0);
    const fresh = await rig.log.nth(id, 'reconnect-scheduled', downAttempts + 2);
    expect(fresh).toMatchObject({ attempt: 1, delayMs: 40 });
    expect(rig.log.of(id).filter((e) => e.type === 'close')).toHaveLength(3);
    // Three outages are three disconnects, however many refused retries each one had.
    expect(rig.records.status(id).stats.disconnects.network).toBe(3);
  });

  it('gives up after maxAttempts and stays down', async () => {
    const id = rig.add(rig.lab.url('/', { refuse: 503 }), { backoff: { initialMs: 10, maxAttempts: 3 } });
    const gave = await rig.log.nth(id, 'gave-up');
    expect(gave.attempts).toBe(3);
    expect(rig.log.types(id)).toEqual([
      'endpoint-added',
      ...Array(3).fill(['connecting', 'error', 'reconnect-scheduled']).flat(),
      'connecting',
      'error',
      'gave-up',
    ]);
    expect(rig.records.status(id).state).toBe('gave-up');
    expect(rig.lab.stats.upgrades).toHaveLength(4);
  });

  it('update: a name change keeps the socket, a heartbeat change reconnects', async () => {
    const id = rig.add(rig.lab.url('/'));
    await rig.log.nth(id, 'rtt');
    rig.monitor.update(id, { ...rig.monitor.config(id), name: 'renamed' });
    expect(rig.records.status(id)).toMatchObject({ name: 'renamed', state: 'open' });
    rig.monitor.update(id, { ...rig.monitor.config(id), heartbeat: { ...rig.monitor.config(id).heartbeat, intervalMs: 200 } });
    await rig.log.nth(id, 'open', 2);
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*', 'endpoint-updated', 'endpoint-updated', 'close', 'connecting', 'open']);
    expect(rig.lab.stats.opened).toBe(2);
  });

  it('reconnect now replaces an open socket at once', async () => {
    const id = rig.add(rig.lab.url('/'));
    await rig.log.nth(id, 'open');
    rig.monitor.reconnectNow(id);
    await rig.log.nth(id, 'open', 2);
    expect(rig.log.types(id).filter((t) => t !== 'rtt*')).toEqual(['endpoint-added', 'connecting', 'open', 'close', 'connecting', 'open']);
    expect(rig.log.of(id).find((e) => e.type === 'close')).toMatchObject({ initiator: 'client', code: 1000 });
  });
});

describe('user actions during a backoff wait (manual clock, real sockets)', () => {
  const rig = useRig({ manualClock: true });

  /** Adds an endpoint the lab refuses, and waits until its first retry is scheduled 10 s away. */
  async function waiting(): Promise<string> {
    const id = rig.add(rig.lab.url('/', { refuse: 503 }), { backoff: { initialMs: 10_000 } });
    await rig.log.nth(id, 'reconnect-scheduled');
    expect(rig.records.status(id)).toMatchObject({ state: 'waiting', attempt: 1, retryAtMono: expect.any(Number) });
    return id;
  }

  it('the retry fires when its delay has passed, not before', async () => {
    const id = await waiting();
    rig.clock.advance(9_999);
    expect(rig.lab.stats.upgrades).toHaveLength(1);
    rig.clock.advance(1);
    await rig.log.nth(id, 'reconnect-scheduled', 2);
    expect(rig.lab.stats.upgrades).toHaveLength(2);
  });

  it('pause cancels the pending retry; resume connects at once without consuming an attempt', async () => {
    const id = await waiting();
    rig.monitor.pause(id);
    expect(rig.clock.pending).toBe(0);
    rig.clock.advance(3_600_000);
    expect(rig.lab.stats.upgrades).toHaveLength(1);
    expect(rig.records.status(id)).toMatchObject({ state: 'paused', pausedBy: 'user', retryAtMono: null });
    rig.monitor.resume(id);
    const sched = await rig.log.nth(id, 'reconnect-scheduled', 2);
    expect(sched.attempt).toBe(2);
    expect(rig.log.types(id)).toEqual([
      'endpoint-added',
      'connecting',
      'error',
      'reconnect-scheduled',
      'paused',
      'resumed',
      'connecting',
      'error',
      'reconnect-scheduled',
    ]);
    expect((rig.log.of(id).filter((e) => e.type === 'connecting') as EventOf<'connecting'>[]).map((e) => e.attempt)).toEqual([0, 1]);
  });

  it('remove cancels the pending retry and leaves no timer', async () => {
    const id = await waiting();
    await rig.monitor.remove(id);
    expect(rig.clock.pending).toBe(0);
    rig.clock.advance(3_600_000);
    expect(rig.lab.stats.upgrades).toHaveLength(1);
    expect(rig.log.types(id).at(-1)).toBe('endpoint-removed');
    expect(rig.monitor.ids()).toEqual([]);
  });

  it('disconnect cancels the pending retry and stays down until connect', async () => {
    const id = await waiting();
    rig.monitor.disconnect(id);
    expect(rig.clock.pending).toBe(0);
    rig.clock.advance(3_600_000);
    expect(rig.lab.stats.upgrades).toHaveLength(1);
    expect(rig.records.status(id).state).toBe('stopped');
    rig.monitor.connect(id);
    await rig.log.nth(id, 'reconnect-scheduled', 2);
    // A user's connect starts afresh.
    expect((rig.log.of(id).filter((e) => e.type === 'connecting') as EventOf<'connecting'>[]).map((e) => e.attempt)).toEqual([0, 0]);
  });

  it('reconnect now skips the wait', async () => {
    const id = await waiting();
    rig.monitor.reconnectNow(id);
    await rig.log.nth(id, 'reconnect-scheduled', 2);
    expect(rig.lab.stats.upgrades).toHaveLength(2);
    expect(rig.clock.now()).toBe(0);
  });

  it('hours of heartbeats run in milliseconds, and history stays bounded', async () => {
    const id = rig.add(rig.lab.url('/'), { heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    await rig.log.nth(id, 'rtt');
    // Each advance sends a ping; wait for its pong on the real socket before moving on.
    for (let beat = 2; beat <= 300; beat++) {
      rig.clock.advance(1000);
      await rig.log.nth(id, 'rtt', beat);
    }
    const s = rig.records.status(id);
    expect(s.stats.rtt.samples).toBe(300);
    expect(s.stats.heartbeatsMissed).toBe(0);
    expect(rig.records.recorder(id).history.bytes).toBeLessThanOrEqual(128 * 1024);
    expect(
      rig.records
        .recorder(id)
        .history.query(0, Infinity)
        .buckets.map((b) => b.count),
    ).toEqual([60, 60, 60, 60, 60]);
  });
});
