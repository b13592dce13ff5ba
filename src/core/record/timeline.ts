// An endpoint's state changes over time: outage spans, overview cells and uptime. A ring of
// transitions with a cap; the oldest fall off on very long sessions.
import type { StateSegment } from '../../shared/series';
import { CONN_STATES, type ConnState } from '../../shared/status';
import { ColumnRing, shifted, type RingRows } from './ring';

export class StateTimeline {
  private readonly ring: ColumnRing<'t' | 's'>;

  constructor(readonly capacity = 1024) {
    this.ring = new ColumnRing(capacity, StateTimeline.layout, 8);
  }

  record(t: number, state: ConnState): void {
    const code = CONN_STATES.indexOf(state);
    const n = this.ring.length;
    if (n && this.ring.cols.s[this.ring.index(n - 1)] === code) return;
    const i = this.ring.append();
    this.ring.cols.t[i] = t;
    this.ring.cols.s[i] = code;
  }

  /** Appends the transitions of `later` (all later in time than this timeline's own). */
  appendLater(later: StateTimeline): void {
    for (let k = 0; k < later.ring.length; k++) {
      const i = later.ring.index(k);
      this.record(later.ring.cols.t[i]!, CONN_STATES[later.ring.cols.s[i]!]!);
    }
  }

  /** Segments overlapping [from, to], clipped to it; the last one runs until `now`. */
  segments(from: number, to: number, now: number): StateSegment[] {
    const out: StateSegment[] = [];
    const { t: times, s: states } = this.ring.cols;
    const n = this.ring.length;
    for (let k = 0; k < n; k++) {
      const i = this.ring.index(k);
      const a = times[i]!;
      const b = k + 1 < n ? times[this.ring.index(k + 1)]! : now;
      if (b <= from || a > to) continue;
      out.push({ from: Math.max(a, from), to: Math.min(b, to), state: CONN_STATES[states[i]!]! });
    }
    return out;
  }

  /** The time of the oldest transition held (null: none): states before it are no longer known. */
  get since(): number | null {
    return this.ring.length ? this.ring.cols.t[this.ring.index(0)]! : null;
  }

  /** The transitions, their times moved by `shift` (a snapshot: log/snapshot.ts). */
  exportRows(shift: number): RingRows {
    return shifted(this.ring.exportRows(), shift);
  }

  /** Takes the transitions exportRows gave, times moved by `shift`, in place of its own. */
  importRows(rows: RingRows, shift: number): void {
    this.ring.importRows(shifted(rows, shift));
  }

  static readonly layout = { t: Float64Array, s: Uint8Array };

  get bytes(): number {
    return this.ring.bytes;
  }
}
