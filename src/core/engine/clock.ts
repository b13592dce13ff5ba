// Time comes from here so that tests and benchmarks can run days in milliseconds.
import { performance } from 'node:perf_hooks';

export type TimerHandle = { readonly __timer: unique symbol } | object;

export interface Clock {
  /** Monotonic milliseconds (sub-millisecond resolution). Never goes back. */
  now(): number;
  /** Wall-clock epoch milliseconds, for timestamps only. */
  wall(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /**
   * Runs `fn` once what the sockets have already received has been read (setImmediate: after the event loop's
   * I/O phase). A verdict of silence waits for it: after a stall of our own, a timer can fire before an answer
   * that came in time has been read.
   */
  afterIo(fn: () => void): void;
}

/** A deadline set by `deadline`, and its one way to be called off. */
export interface Deadline {
  clear(): void;
}

/**
 * Runs `fn` once `ms` have passed and what the sockets had received by then has been read (Clock.afterIo), unless
 * cleared first. A verdict of silence is given this way: cleared between the timer and the verdict (an answer that
 * came in time, read after a stall of ours), it is not given.
 */
export function deadline(clock: Clock, ms: number, fn: () => void): Deadline {
  let due = true;
  const timer = clock.setTimeout(
    () =>
      clock.afterIo(() => {
        if (!due) return;
        due = false;
        fn();
      }),
    ms,
  );
  return {
    clear: () => {
      if (due) clock.clearTimeout(timer);
      due = false;
    },
  };
}

export const realClock: Clock = {
  now: () => performance.now(),
  wall: () => Date.now(),
  // Node keeps one timer list per distinct duration; whole milliseconds let thousands of heartbeats share a few lists
  // instead of each fractional delay making its own (timers have 1 ms resolution anyway).
  setTimeout: (fn, ms) => setTimeout(fn, Math.round(ms)),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  afterIo: (fn) => void setImmediate(fn),
};

/**
 * A clock that moves only when told to. Timers fire in time order during
 * `advance`, each seeing `now()` equal to its due time.
 */
export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<object, { due: number; seq: number; fn: () => void }>();

  constructor(private readonly wallStart = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.t;
  }
  wall(): number {
    return this.wallStart + this.t;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle = {};
    this.timers.set(handle, { due: this.t + Math.max(0, ms), seq: this.seq++, fn });
    return handle;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle);
  }
  /** Nothing arrives on its own here: at the same moment, after the timers already due. */
  afterIo(fn: () => void): void {
    this.setTimeout(fn, 0);
  }
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [object, { due: number; seq: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].due > end) continue;
        if (!next || entry[1].due < next[1].due || (entry[1].due === next[1].due && entry[1].seq < next[1].seq)) next = entry;
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].due;
      next[1].fn();
    }
    this.t = end;
  }
}
