// An endpoint's state changes over time: outage spans, overview cells and uptime. A ring of
// transitions with a cap (the oldest fall off on long sessions, sooner for a flapping endpoint),
// and beside it the time up and the time monitored per hour for 90 days: uptime over 30 and
// 90 days, however often the state changed.
import type { StateSegment } from '../../shared/series';
import { isMonitored, uptime as uptimeOf } from '../../shared/chart-data';
import { CONN_STATES, type ConnState } from '../../shared/status';
import { ColumnRing, shifted, type RingRows } from './ring';

const HOUR = 3_600_000;
/** Hours of up/monitored time kept: 90 days. */
export const UPTIME_HOURS = 90 * 24;

/** The hour being filled: its start, and the ms of it spent up and monitored. */
export interface OpenHour {
  t: number;
  up: number;
  on: number;
}

export class StateTimeline {
  private readonly ring: ColumnRing<'t' | 's'>;
  /** Closed hours: t, ms up, ms monitored (Float32 holds an hour's ms exactly). */
  private readonly hours: ColumnRing<'t' | 'up' | 'on'>;
  private open: OpenHour | null = null;

  constructor(readonly capacity = 1024) {
    this.ring = new ColumnRing(capacity, StateTimeline.layout);
    this.hours = new ColumnRing(UPTIME_HOURS, StateTimeline.hourLayout);
  }

  record(t: number, state: ConnState): void {
    const code = CONN_STATES.indexOf(state);
    const n = this.ring.length;
    if (n && this.ring.cols.s[this.ring.index(n - 1)] === code) return;
    if (n) {
      const last = this.ring.index(n - 1);
      this.account(this.ring.cols.t[last]!, t, CONN_STATES[this.ring.cols.s[last]!]!);
    }
    const i = this.ring.append();
    this.ring.cols.t[i] = t;
    this.ring.cols.s[i] = code;
  }

  /** Adds [a, b) spent in `state` to the hours it falls in. */
  private account(a: number, b: number, state: ConnState): void {
    if (!isMonitored(state)) return;
    const up = state === 'open';
    for (let from = a; from < b;) {
      const hour = Math.floor(from / HOUR) * HOUR;
      const to = Math.min(b, hour + HOUR);
      if (this.open && this.open.t !== hour) this.closeHour();
      this.open ??= { t: hour, up: 0, on: 0 };
      this.open.on += to - from;
      if (up) this.open.up += to - from;
      from = to;
    }
  }

  private closeHour(): void {
    // Its whole 90 days at its first hour: hours are closed only when the state changes, so the first may come late
    // and the rest all at once; memory is then known from the first change on, as the history's from its first day.
    this.hours.reserve();
    const i = this.hours.append();
    this.hours.cols.t[i] = this.open!.t;
    this.hours.cols.up[i] = this.open!.up;
    this.hours.cols.on[i] = this.open!.on;
    this.open = null;
  }

  /**
   * Share of monitored time up over [from, now]: exact from the transitions
   * where they reach back that far, else from the hours (the first hour
   * counted whole). `since`: from when it was judged, later than `from` where
   * neither reaches back to it; null value with no monitored time.
   */
  uptime(from: number, now: number): { value: number | null; since: number | null } {
    const oldest = this.since;
    if (oldest !== null && oldest <= from) return { value: uptimeOf(this.segments(from, now, now)), since: oldest };
    let up = 0;
    let on = 0;
    let since: number | null = null;
    const add = (t: number, u: number, o: number) => {
      if (t + HOUR <= from || o === 0) return;
      since = Math.min(since ?? t, t);
      up += u;
      on += o;
    };
    for (let k = 0; k < this.hours.length; k++) {
      const i = this.hours.index(k);
      add(this.hours.cols.t[i]!, this.hours.cols.up[i]!, this.hours.cols.on[i]!);
    }
    if (this.open) add(this.open.t, this.open.up, this.open.on);
    // The time since the last transition, in its state.
    const n = this.ring.length;
    if (n) {
      const last = this.ring.index(n - 1);
      const t = Math.max(from, this.ring.cols.t[last]!);
      const state = CONN_STATES[this.ring.cols.s[last]!]!;
      if (isMonitored(state) && now > t) add(Math.max(t, from), state === 'open' ? now - t : 0, now - t);
    }
    return { value: on > 0 ? up / on : null, since: since === null ? oldest : Math.min(since, oldest ?? Infinity) };
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

  /** The time of the oldest transition held (null: none): states before it are known only by the hour. */
  get since(): number | null {
    return this.ring.length ? this.ring.cols.t[this.ring.index(0)]! : null;
  }

  /** The transitions and the hours now, their times moved by `shift` (a snapshot: log/snapshot.ts); the rows held (ColumnRing.hold). */
  exportState(shift: number): TimelineState {
    return {
      transitions: this.ring.hold(shift),
      hours: this.hours.hold(shift),
      open: this.open && { ...this.open, t: this.open.t + shift },
    };
  }

  /** Takes what exportState gave, times moved by `shift`, in place of its own. */
  importState(state: TimelineState, shift: number): void {
    this.ring.importRows(shifted(state.transitions, shift));
    this.hours.importRows(shifted(state.hours, shift));
    this.open = state.open && { ...state.open, t: state.open.t + shift };
  }

  static readonly layout = { t: Float64Array, s: Uint8Array };
  static readonly hourLayout = { t: Float64Array, up: Float32Array, on: Float32Array };

  get bytes(): number {
    return this.ring.bytes + this.hours.bytes;
  }
}

/** A timeline as a snapshot keeps it. */
export interface TimelineState {
  transitions: RingRows;
  hours: RingRows;
  open: OpenHour | null;
}
