// One lab, one session (the same assembly every face starts) and an event log
// per test; teardown stops both and checks that nothing the test started is
// still running.
import { until } from './wait';
import { afterEach, beforeEach, expect } from 'vitest';
import { ManualClock, realClock, type Clock, type TimerHandle } from '../../src/core/engine/clock';
import { Session } from '../../src/core/app/session';
import type { Monitor } from '../../src/core/engine/monitor';
import type { Records } from '../../src/core/record/records';
import type { EndpointConfigInput } from '../../src/shared/config';
import { startLab, type Lab } from '../lab';
import { activeHandles, EventLog } from './events';
import { parseEndpoint } from '../../src/shared/config';

export interface Rig {
  lab: Lab;
  session: Session;
  /** The session's monitor and records. */
  monitor: Monitor;
  records: Records;
  log: EventLog;
  /** Set when the rig runs on a manual clock: timers (retries, heartbeats, connect timeouts) move only on advance(). */
  clock: ManualClock;
  /** Adds an endpoint with fast test defaults (heartbeat 100 ms, no jitter) overlaid by `over`. */
  add(url: string, over?: Partial<EndpointConfigInput>): string;
}

export const FAST: Partial<EndpointConfigInput> = {
  heartbeat: { intervalMs: 100, timeoutMs: 80, misses: 2 },
  backoff: { initialMs: 50, multiplier: 2, maxMs: 60_000, jitter: 'none' },
  connectTimeoutMs: 2000,
};

// Timers are counted through the engine's clock: Node's own Timeout count includes vitest's timers, which come and go.
const LEAKABLE = ['TCPSocketWrap', 'TCPServerWrap'];

/** The real clock, counting the timers still pending. */
export class CountingClock implements Clock {
  private readonly live = new Set<TimerHandle>();
  now = () => realClock.now();
  wall = () => realClock.wall();
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const h = realClock.setTimeout(() => {
      this.live.delete(h);
      fn();
    }, ms);
    this.live.add(h);
    return h;
  }
  clearTimeout(h: TimerHandle): void {
    this.live.delete(h);
    realClock.clearTimeout(h);
  }
  afterIo = (fn: () => void) => realClock.afterIo(fn);
  get pending(): number {
    return this.live.size;
  }
}

function leakable(): Record<string, number> {
  const all = activeHandles();
  return Object.fromEntries(LEAKABLE.map((k) => [k, all[k] ?? 0]));
}

export { until };

/** A port nothing listens on (the demo's closed-port scenario uses the same helper). */
export { freePort as closedPort } from '../../src/lab/demo';

export function useRig(options: { manualClock?: boolean } = {}): Rig {
  const rig = {} as Rig;
  let baseline: Record<string, number> = {};
  let counting = new CountingClock();
  beforeEach(async () => {
    baseline = leakable();
    rig.lab = await startLab();
    rig.clock = new ManualClock();
    counting = new CountingClock();
    rig.session = new Session({ clock: options.manualClock ? rig.clock : counting });
    rig.monitor = rig.session.monitor;
    rig.records = rig.session.records;
    rig.log = new EventLog(rig.monitor);
    await rig.session.start();
    rig.add = (url, over = {}) =>
      rig.monitor.add(
        parseEndpoint({
          ...FAST,
          ...over,
          url,
          heartbeat: { ...FAST.heartbeat, ...over.heartbeat },
          backoff: { ...FAST.backoff, ...over.backoff },
        }),
      ).id;
  });
  afterEach(async () => {
    await rig.session.stop();
    await rig.lab.stop();
    // Closed sockets leave the handle list a tick or two later.
    const settled = () => LEAKABLE.every((k) => leakable()[k]! <= baseline[k]!);
    await until(settled, 'sockets and servers to be gone', 3000).catch(() => {});
    expect(counting.pending, 'engine timers left running').toBe(0);
    expect(rig.clock.pending, 'engine timers left running').toBe(0);
    for (const k of LEAKABLE) expect(leakable()[k], `${k} handles left running`).toBeLessThanOrEqual(baseline[k]!);
  });
  return rig;
}
