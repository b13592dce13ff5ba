// Notifications and sleep/wake on a manual clock against the lab.
import { describe, expect, it } from 'vitest';
import { AlertCenter } from '../../src/core/app/alerts';
import type { Notice } from '../../src/shared/api';
import { useRig } from '../helpers/harness';

describe('down/recovered notifications', () => {
  const rig = useRig({ manualClock: true });

  function setup(grace = 10_000, options = {}) {
    const notices: Notice[] = [];
    const alerts = new AlertCenter(rig.monitor, (n) => notices.push(n), rig.clock, options);
    rig.lab.route('/x', { refuse: 503 });
    const id = rig.add(rig.lab.url('/x'), { name: 'api-eu', backoff: { initialMs: 1000, maxMs: 1000 }, alerts: { downAfterMs: grace } });
    return { notices, alerts, id };
  }

  /** Advances the manual clock and lets the real sockets answer any connect it started. */
  async function advance(ms: number, id: string): Promise<void> {
    const before = rig.log.of(id).length;
    rig.clock.advance(ms);
    const started = rig.log
      .of(id)
      .slice(before)
      .filter((e) => e.type === 'connecting').length;
    if (started)
      await rig.log.waitFor(
        (e) => e.endpoint === id && (e.type === 'reconnect-scheduled' || e.type === 'open') && rig.log.of(id).indexOf(e) >= before + 1,
        'the connect to finish',
      );
  }

  it('announces an outage only after its grace period, with the cause, then the recovery with the downtime', async () => {
    const { notices, alerts, id } = setup();
    await rig.log.nth(id, 'reconnect-scheduled');
    for (let s = 0; s < 9; s++) await advance(1000, id);
    expect(notices).toEqual([]);
    await advance(1000, id);
    expect(notices).toEqual([
      { endpoint: id, kind: 'down', title: 'api-eu is down', body: expect.stringMatching(/^HTTP_503 during handshake: .* · down for 10 s$/) },
    ]);
    rig.lab.route('/x', {});
    await advance(1000, id);
    await rig.log.nth(id, 'open');
    expect(notices[1]).toEqual({ endpoint: id, kind: 'recovered', title: 'api-eu recovered', body: expect.stringMatching(/^back after 11 s down \(HTTP_503/) });
    alerts.stop();
  });

  it("a server's close reason with terminal escapes reaches a notice as visible text, never as control characters", async () => {
    const notices: Notice[] = [];
    const alerts = new AlertCenter(rig.monitor, (n) => notices.push(n), rig.clock);
    rig.lab.route('/evil', { closeAfter: 0, closeCode: 4000, closeReason: 'bye\x1b[2J\nfake line' });
    const id = rig.add(rig.lab.url('/evil'), { name: 'evil', backoff: { initialMs: 60_000, maxMs: 60_000 }, alerts: { downAfterMs: 0 } });
    await rig.log.nth(id, 'close');
    rig.clock.advance(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).not.toMatch(/[\x00-\x1f]/);
    expect(notices[0]!.body).toContain('bye\\x1b[2J\\x0afake line');
    alerts.stop();
  });

  it('giving up is down at once, whatever the grace period (the health model says "down" then too)', async () => {
    const notices: Notice[] = [];
    const alerts = new AlertCenter(rig.monitor, (n) => notices.push(n), rig.clock);
    rig.lab.route('/gone', { refuse: 503 });
    const id = rig.add(rig.lab.url('/gone'), {
      name: 'gone',
      backoff: { initialMs: 100, maxMs: 100, jitter: 'none', maxAttempts: 1 },
      alerts: { downAfterMs: 3_600_000 },
    });
    await rig.log.nth(id, 'reconnect-scheduled');
    rig.clock.advance(100); // the one retry: refused, and that was the last attempt
    await rig.log.nth(id, 'gave-up');
    expect(notices).toEqual([
      { endpoint: id, kind: 'down', title: 'gone is down', body: expect.stringMatching(/^HTTP_503 during handshake: .* · gave up after 1 attempts$/) },
    ]);
    alerts.stop();
  });

  it('a quick reconnect is no alarm', async () => {
    const { notices, alerts, id } = setup();
    await rig.log.nth(id, 'reconnect-scheduled');
    rig.lab.route('/x', {});
    await advance(1000, id);
    await rig.log.nth(id, 'open');
    rig.monitor.pause(id); // stop the heartbeat so the manual clock can run on
    rig.clock.advance(3_600_000);
    expect(notices).toEqual([]);
    alerts.stop();
  });

  it('an endpoint that keeps going down is rate-limited: a few notices, one "too many notices", then silence', async () => {
    const { notices, alerts, id } = setup(1000, { perEndpoint: 4 });
    await rig.log.nth(id, 'reconnect-scheduled');
    for (let cycle = 1; cycle <= 6; cycle++) {
      await advance(1000, id); // down past the grace (the retry is refused again)
      rig.lab.route('/x', {});
      await advance(1000, id);
      await rig.log.nth(id, 'open', cycle);
      rig.lab.route('/x', { refuse: 503 });
      rig.monitor.reconnectNow(id);
      await rig.log.nth(id, 'reconnect-scheduled', cycle + 1);
    }
    expect(notices.map((n) => n.kind)).toEqual(['down', 'recovered', 'down', 'recovered', 'rate-limited']);
    expect(notices.at(-1)).toMatchObject({
      title: 'api-eu: too many notices',
      body: 'it went down and came back 2 times; no more notices for it for 10 min 0 s',
    });
    alerts.stop();
  });

  it('muted endpoints and a global mute send nothing', async () => {
    const { notices, alerts, id } = setup(1000);
    alerts.mute(id);
    await rig.log.nth(id, 'reconnect-scheduled');
    await advance(1000, id);
    await advance(1000, id);
    expect(notices).toEqual([]);
    alerts.mute(id, false);
    alerts.muteAll();
    rig.monitor.reconnectNow(id);
    await rig.log.nth(id, 'reconnect-scheduled', 4);
    await advance(1000, id);
    await advance(1000, id);
    expect(notices).toEqual([]);
    alerts.stop();
  });
});

describe('sleep, wake and offline', () => {
  const rig = useRig({ manualClock: true });

  it('sleep pauses heartbeats instead of counting misses; wake checks at once; a user pause survives', async () => {
    const a = rig.add(rig.lab.url('/a'), { heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    const b = rig.add(rig.lab.url('/b'), { heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    await rig.log.nth(a, 'rtt');
    await rig.log.nth(b, 'rtt');
    rig.monitor.pause(b);
    rig.monitor.systemSleep();
    expect(rig.records.status(a)).toMatchObject({ state: 'paused', pausedBy: 'system-sleep' });
    await rig.log.nth(a, 'close');
    rig.clock.advance(8 * 3_600_000); // a night
    expect(rig.log.of(a).filter((e) => e.type === 'heartbeat-missed')).toEqual([]);
    rig.monitor.systemWake();
    await rig.log.nth(a, 'open', 2);
    expect(rig.log.types(a).slice(-5)).toEqual(['paused', 'close', 'resumed', 'connecting', 'open']);
    expect(rig.log.of(a).find((e) => e.type === 'resumed')).toMatchObject({ by: 'system-sleep' });
    expect(
      rig.log
        .of(a)
        .filter((e) => e.type === 'connecting')
        .at(-1),
    ).toMatchObject({ attempt: 0 }); // no attempt consumed
    expect(rig.records.status(b)).toMatchObject({ state: 'paused', pausedBy: 'user' });
  });

  it('offline makes pending retries wait; online connects at once', async () => {
    rig.lab.route('/c', { refuse: 503 });
    const c = rig.add(rig.lab.url('/c'), { backoff: { initialMs: 5000 } });
    await rig.log.nth(c, 'reconnect-scheduled');
    rig.monitor.networkOffline();
    expect(rig.records.status(c)).toMatchObject({ state: 'paused', pausedBy: 'offline' });
    expect(rig.clock.pending).toBe(0);
    rig.clock.advance(60_000);
    expect(rig.lab.stats.upgrades).toHaveLength(1);
    rig.lab.route('/c', {});
    rig.monitor.networkOnline();
    await rig.log.nth(c, 'open');
    expect(rig.log.of(c).find((e) => e.type === 'resumed')).toMatchObject({ by: 'offline' });
    expect(
      rig.log
        .of(c)
        .filter((e) => e.type === 'connecting')
        .map((e) => (e as { attempt: number }).attempt),
    ).toEqual([0, 1]);
  });
});
