// One endpoint's decisions, on a manual clock against the lab: when to retry,
// how long to wait, when to give up, and what pause and stop leave behind.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/engine/clock';
import { Connection } from '../../src/core/engine/connection';
import { parseEndpoint, type EndpointConfigInput } from '../../src/shared/config';
import type { EventBody } from '../../src/shared/events';
import { closedPort, until } from '../helpers/harness';
import { startLab, type Lab } from '../lab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

const clock = new ManualClock();
const live: Connection[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((c) => c.remove()));
  expect(clock.pending, 'timers left running').toBe(0);
});

function connection(url: string, over: Partial<EndpointConfigInput> = {}): { c: Connection; events: EventBody[] } {
  const events: EventBody[] = [];
  const cfg = {
    ...parseEndpoint({ url, heartbeat: { intervalMs: 60_000, timeoutMs: 1000 }, ...over, backoff: { jitter: 'none', ...over.backoff } }),
    id: 'x',
    name: 'x',
  };
  const c = new Connection(cfg, { clock, zero: 0, random: () => 0.5, emit: (e) => events.push(e) });
  live.push(c);
  return { c, events };
}
const types = (events: EventBody[]) => events.map((e) => e.type);
const count = (events: EventBody[], type: EventBody['type']) => events.filter((e) => e.type === type).length;

describe('Connection', () => {
  it('retries a refused endpoint at initial × multiplier^n, capped, and gives up after maxAttempts', async () => {
    const url = `ws://127.0.0.1:${await closedPort()}/`;
    const { c, events } = connection(url, { backoff: { initialMs: 100, multiplier: 3, maxMs: 500, maxAttempts: 4 } });
    c.start();
    for (let n = 1; n <= 4; n++) {
      await until(() => count(events, 'reconnect-scheduled') === n, `retry ${n}`);
      clock.advance(10_000);
    }
    await until(() => count(events, 'gave-up') === 1, 'giving up');
    expect(events.filter((e) => e.type === 'reconnect-scheduled').map((e) => e.type === 'reconnect-scheduled' && [e.attempt, e.delayMs])).toEqual([
      [1, 100],
      [2, 300],
      [3, 500],
      [4, 500],
    ]);
    expect(count(events, 'connecting')).toBe(5);
    expect(events.at(-1)).toEqual({ type: 'gave-up', attempts: 4 });
  });

  it('a pause while waiting cancels the retry; resume connects at once without consuming an attempt', async () => {
    const url = `ws://127.0.0.1:${await closedPort()}/`;
    const { c, events } = connection(url, { backoff: { initialMs: 1000 } });
    c.start();
    await until(() => count(events, 'reconnect-scheduled') === 1, 'a retry scheduled');
    c.pause('user');
    expect(c.pausedBy).toBe('user');
    clock.advance(60_000); // nothing may happen while paused
    expect(count(events, 'connecting')).toBe(1);
    c.resume('user');
    await until(() => count(events, 'reconnect-scheduled') === 2, 'the next retry');
    expect(types(events)).toEqual(['connecting', 'error', 'reconnect-scheduled', 'paused', 'resumed', 'connecting', 'error', 'reconnect-scheduled']);
    // The attempt count went on from where it was: the pause consumed none.
    expect(events.filter((e) => e.type === 'connecting').map((e) => e.type === 'connecting' && e.attempt)).toEqual([0, 1]);
  });

  it("the user's stop closes an open socket and stays down", async () => {
    const { c, events } = connection(lab.url('/'));
    c.start();
    await until(() => count(events, 'open') === 1, 'open');
    c.stop();
    await until(() => count(events, 'close') === 1, 'close');
    expect(events.at(-1)).toMatchObject({ type: 'close', initiator: 'client' });
    clock.advance(60_000);
    expect(count(events, 'connecting')).toBe(1);
    expect(types(events)).toContain('stopped');
  });
});
