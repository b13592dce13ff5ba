// An endpoint's state changes over time, for availability strips. A ring of
// transitions in fixed memory; the oldest fall off on very long sessions.
import type { StateSegment } from '../shared/series';
import { CONN_STATES, type ConnState } from '../shared/status';

export class StateTimeline {
  private readonly times: Float64Array;
  private readonly states: Uint8Array;
  private start = 0;
  private length = 0;

  constructor(readonly capacity = 4096) {
    this.times = new Float64Array(capacity);
    this.states = new Uint8Array(capacity);
  }

  record(t: number, state: ConnState): void {
    if (this.length && this.states[this.index(this.length - 1)] === CONN_STATES.indexOf(state)) return;
    if (this.length === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.length--;
    }
    const i = this.index(this.length);
    this.times[i] = t;
    this.states[i] = CONN_STATES.indexOf(state);
    this.length++;
  }

  /** Segments overlapping [from, to], clipped to it; the last one runs until `now`. */
  segments(from: number, to: number, now: number): StateSegment[] {
    const out: StateSegment[] = [];
    for (let k = 0; k < this.length; k++) {
      const i = this.index(k);
      const a = this.times[i]!;
      const b = k + 1 < this.length ? this.times[this.index(k + 1)]! : now;
      if (b <= from || a > to) continue;
      out.push({ from: Math.max(a, from), to: Math.min(b, to), state: CONN_STATES[this.states[i]!]! });
    }
    return out;
  }

  get bytes(): number {
    return this.times.byteLength + this.states.byteLength;
  }

  private index(k: number): number {
    return (this.start + k) % this.capacity;
  }
}
