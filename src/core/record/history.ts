// Bounded time series for one endpoint. Recent RTT samples are kept raw in a
// ring; every sample also lands in a one-minute bucket, minutes roll up into
// hours and hours into days: a day of minutes, 90 days of hours, a year of
// days. Storage grows with the session during its first day and never after:
// when the minute ring reaches its full size, the hour and day rings take theirs,
// in the columns the minutes use. The others take none (sparse columns: a
// healthy endpoint's disconnect counts, a down one's RTTs) until the first
// such thing happens, within the same bound.
import { CHARTED_CAUSES, type Bucket, type ChartedCause, type HistoryWindow, type RttPoint } from '../../shared/series';
import { ColumnRing, shifted, type RingRows } from './ring';
import { percentile } from '../../shared/percentile';
import { DEFAULT_SETTINGS } from '../../shared/settings/app';

export interface HistoryLimits {
  rawCapacity: number;
  minuteCapacity: number;
  hourCapacity: number;
  dayCapacity: number;
}

/**
 * The rings for a history that reaches `days` back (shared/settings/app.ts, HISTORY_DAYS): a day of minutes, hours
 * for up to 90 days, and days beyond them (one day bucket at least: the ring the hours roll into).
 */
export function historyLimits(days: number): HistoryLimits {
  return { rawCapacity: 1536, minuteCapacity: 1440, hourCapacity: Math.min(days, 90) * 24, dayCapacity: days > 90 ? days : 1 };
}

export const DEFAULT_LIMITS: HistoryLimits = historyLimits(DEFAULT_SETTINGS.historyDays);

export const sameLimits = (a: HistoryLimits, b: HistoryLimits): boolean => (Object.keys(a) as (keyof HistoryLimits)[]).every((k) => a[k] === b[k]);

/** A bucket's column of disconnects for one cause; the causes are shared/series' list. */
const causeField = (c: ChartedCause) => `d:${c}` as const;
type CauseField = ReturnType<typeof causeField>;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Counts add up when buckets merge; min, max, sum and the percentiles have rules of their own (mergeInto). */
const COUNT_FIELDS: readonly BucketField[] = ['count', 'missed', ...CHARTED_CAUSES.map(causeField), 'attempts', 'netCount', 'netSum'];
/** A minute's percentiles of its samples; an hour's are its minutes' averaged, weighted by their samples (SmokePing's consolidation). */
const SPREAD_FIELDS = ['p10', 'p50', 'p90'] as const;
const BUCKET_FIELDS: readonly BucketField[] = [...COUNT_FIELDS, 'min', 'max', 'sum', ...SPREAD_FIELDS];
/** Fields whose empty value is not 0 (EMPTY_ROW). */
const BOUND_FIELDS: ReadonlySet<BucketField> = new Set(['min', 'max']);
/** netCount, netSum: the answers that carried a network RTT, and the sum of those RTTs (their mean is the bucket's). */
type BucketField = 'count' | 'missed' | CauseField | 'attempts' | 'netCount' | 'netSum' | 'min' | 'max' | 'sum' | (typeof SPREAD_FIELDS)[number];
type BucketRow = Record<BucketField, number>;
const BUCKET_COLUMNS = { t: Float64Array, ...Object.fromEntries(BUCKET_FIELDS.map((f) => [f, Float32Array])) } as Record<
  't' | BucketField,
  Float32ArrayConstructor | Float64ArrayConstructor
>;
/** v: the RTT; n: the network RTT read with it, NaN when none was. */
const RAW_COLUMNS = { t: Float64Array, v: Float32Array, n: Float32Array };

/**
 * Closed buckets, oldest first, in a growing ring of typed-array columns (times Float64, values Float32). Every
 * column but the time is sparse (ColumnRing): most stay 0 for months (a healthy endpoint's disconnects, a down
 * one's RTTs, the network RTT where it is not read), and take no storage until they are not.
 */
class BucketRing {
  private readonly ring: ColumnRing<'t' | BucketField>;

  constructor(readonly capacity: number) {
    this.ring = new ColumnRing(capacity, BUCKET_COLUMNS, BUCKET_FIELDS);
  }
  get length(): number {
    return this.ring.length;
  }
  /** Appends a row; returns the evicted row when the ring was full. */
  push(t: number, row: BucketRow): { t: number; row: BucketRow } | null {
    const evicted = this.ring.full ? { t: this.time(0), row: this.rowAt(0) } : null;
    const i = this.ring.append();
    this.ring.cols.t[i] = t;
    // A row without samples has no bounds (±Infinity): stored as 0, so its bound columns stay sparse, and read back as none.
    const sampled = row.count > 0;
    for (const f of BUCKET_FIELDS) this.ring.put(f, i, sampled || !BOUND_FIELDS.has(f) ? row[f] : 0);
    return evicted;
  }
  time(k: number): number {
    return this.ring.cols.t[this.ring.index(k)]!;
  }
  rowAt(k: number): BucketRow {
    const i = this.ring.index(k);
    const row = emptyRow();
    for (const f of BUCKET_FIELDS) row[f] = this.ring.get(f, i);
    if (row.count === 0) ({ min: row.min, max: row.max } = EMPTY_ROW);
    return row;
  }
  get bytes(): number {
    return this.ring.bytes;
  }
  get sized(): boolean {
    return this.ring.sized;
  }
  /** Takes its whole capacity now, with the columns `like` uses (BucketRing.reserve). */
  reserve(like: BucketRing): void {
    this.ring.reserve(like.ring);
  }
  hold(shift: number): RingRows {
    return this.ring.hold(shift);
  }
  importRows(rows: RingRows, shift: number): void {
    this.ring.importRows(shifted(rows, shift));
  }
}

/** A history as a snapshot keeps it (log/snapshot.ts): its rings' rows and the minute, hour and day still open. */
export interface HistoryState {
  raw: RingRows;
  minutes: RingRows;
  hours: RingRows;
  days: RingRows;
  minuteT: number | null;
  hourT: number | null;
  dayT: number | null;
  /** The open buckets' fields in BUCKET_FIELDS order; null for a bound not yet set (no sample: ±Infinity). */
  minute: (number | null)[];
  hour: (number | null)[];
  day: (number | null)[];
}

/**
 * Buckets of one span (an hour, a day): rows of a shorter span merge into the
 * open one; a closed one goes into the ring, and what the ring evicts rolls
 * up into the next level.
 */
class Level {
  readonly ring: BucketRing;
  openT: number | null = null;
  open = emptyRow();

  constructor(
    readonly span: number,
    capacity: number,
    private readonly next: Level | null,
  ) {
    this.ring = new BucketRing(capacity);
  }

  add(t: number, row: BucketRow): void {
    const lt = Math.floor(t / this.span) * this.span;
    if (this.openT !== null && lt !== this.openT) {
      const evicted = this.ring.push(this.openT, this.open);
      this.open = emptyRow();
      if (evicted) this.next?.add(evicted.t, evicted.row);
    }
    this.openT = lt;
    mergeInto(this.open, row);
  }

  /** Its closed rows and (when it holds any) the open one, oldest first. */
  rows(): { t: number; span: number; row: BucketRow }[] {
    const rows = Array.from({ length: this.ring.length }, (_, k) => ({ t: this.ring.time(k), span: this.span, row: this.ring.rowAt(k) }));
    if (this.openT !== null && !isEmpty(this.open)) rows.push({ t: this.openT, span: this.span, row: this.open });
    return rows;
  }

  /** Buckets overlapping [from, to]: closed ones, and the open one only for time before `coveredFrom` (finer levels hold the rest). */
  query(from: number, to: number, coveredFrom: number, out: Bucket[]): void {
    for (let k = 0; k < this.ring.length; k++) {
      const t = this.ring.time(k);
      if (t + this.span > from && t <= to) out.push(toBucket(t, this.span, this.ring.rowAt(k)));
    }
    if (this.openT !== null && !isEmpty(this.open) && this.openT < coveredFrom && this.openT + this.span > from && this.openT <= to) {
      out.push(toBucket(this.openT, Math.min(this.span, coveredFrom - this.openT), this.open));
    }
  }

  /** From when this level and the finer ones hold time (Infinity: nothing). */
  coveredFrom(finer: number): number {
    if (this.ring.length) return this.ring.time(0);
    return this.openT !== null && !isEmpty(this.open) ? Math.min(this.openT, finer) : finer;
  }

  exportState(shift: number): { rows: RingRows; t: number | null; open: (number | null)[] } {
    return { rows: this.ring.hold(shift), t: this.openT === null ? null : this.openT + shift, open: exportRow(this.open) };
  }

  importState(rows: RingRows, t: number | null, open: (number | null)[], shift: number): void {
    this.ring.importRows(rows, shift);
    this.openT = t === null ? null : t + shift;
    this.open = importRow(open);
  }
}

const exportRow = (r: BucketRow) => BUCKET_FIELDS.map((f) => (Number.isFinite(r[f]) ? r[f] : null));
function importRow(values: (number | null)[]): BucketRow {
  const r = emptyRow();
  BUCKET_FIELDS.forEach((f, i) => (r[f] = values[i] ?? EMPTY_ROW[f]));
  return r;
}

/**
 * Built once, copied per bucket: rows made by Object.fromEntries are dictionary-mode objects, and the rebuild
 * profile (bench/rebuild.ts) spent more time making and updating them than reading the logs.
 */
const EMPTY_ROW: BucketRow = {
  ...(Object.fromEntries(COUNT_FIELDS.map((f) => [f, 0])) as Record<BucketField, number>),
  min: Infinity,
  max: -Infinity,
  sum: 0,
  p10: 0,
  p50: 0,
  p90: 0,
};
const emptyRow = (): BucketRow => ({ ...EMPTY_ROW });

function mergeInto(acc: BucketRow, row: BucketRow): void {
  const hadSamples = row.count > 0;
  const before = acc.count;
  for (const f of COUNT_FIELDS) acc[f] += row[f];
  if (hadSamples) {
    for (const f of SPREAD_FIELDS) acc[f] = (acc[f] * before + row[f] * row.count) / acc.count;
    acc.min = Math.min(acc.min, row.min);
    acc.max = Math.max(acc.max, row.max);
    acc.sum += row.sum;
  }
}

export class History {
  private readonly raw: ColumnRing<'t' | 'v' | 'n'>;
  private readonly minutes: BucketRing;
  private readonly hours: Level;
  private readonly days: Level;
  private minuteT: number | null = null;
  private minute = emptyRow();

  constructor(readonly limits: HistoryLimits = DEFAULT_LIMITS) {
    this.raw = new ColumnRing(limits.rawCapacity, RAW_COLUMNS);
    this.minutes = new BucketRing(limits.minuteCapacity);
    this.days = new Level(DAY, limits.dayCapacity, null);
    this.hours = new Level(HOUR, limits.hourCapacity, this.days);
  }

  /**
   * One sample, with the network RTT read with it (null: none); or (`summary`, a thinned session log's line)
   * `summary.samples` of them with mean `rttMs` (and mean `networkMs`).
   */
  addRtt(t: number, rttMs: number, networkMs: number | null, summary?: { samples: number; minMs: number; maxMs: number }): void {
    this.roll(t);
    const i = this.raw.append();
    this.raw.cols.t[i] = t;
    this.raw.cols.v[i] = rttMs;
    this.raw.cols.n[i] = networkMs ?? NaN;
    const m = this.minute;
    const n = summary?.samples ?? 1;
    if (networkMs !== null) {
      m.netCount += n;
      m.netSum += networkMs * n;
    }
    m.count += n;
    // At the precision the rings keep (Float32), as the raw samples the percentiles come from: the open minute's
    // min can never read above its p10 (101.365 against a stored 101.36499…).
    m.min = Math.min(m.min, Math.fround(summary?.minMs ?? rttMs));
    m.max = Math.max(m.max, Math.fround(summary?.maxMs ?? rttMs));
    m.sum += rttMs * n;
  }

  /**
   * Appends everything `later` holds (all of it later in time than this
   * history's own, and in other minutes: a rebuilt history ends before the
   * session's time 0, where the live one begins) after it: a history rebuilt
   * from past session logs takes the live one's first minutes. Bounded as
   * ever: the rings evict as they fill.
   */
  appendLater(later: History): void {
    const rows = [...later.days.rows(), ...later.hours.rows()];
    for (let k = 0; k < later.minutes.length; k++) rows.push({ t: later.minutes.time(k), span: MINUTE, row: later.minutes.rowAt(k) });
    for (const r of rows) {
      this.closeMinute();
      if (r.span === DAY) this.days.add(r.t, r.row);
      else if (r.span === HOUR) this.hours.add(r.t, r.row);
      else this.pushMinute(r.t, r.row);
    }
    for (let k = 0; k < later.raw.length; k++) {
      const i = this.raw.append();
      const j = later.raw.index(k);
      this.raw.cols.t[i] = later.raw.cols.t[j]!;
      this.raw.cols.v[i] = later.raw.cols.v[j]!;
      this.raw.cols.n[i] = later.raw.cols.n[j]!;
    }
    if (later.minuteT !== null) {
      this.closeMinute();
      this.minuteT = later.minuteT;
      this.minute = { ...later.minute };
    }
  }
  /** The same history in rings of other sizes: what no longer fits rolls up (minutes into hours, hours into days) or, past the days, gives way. */
  resized(limits: HistoryLimits): History {
    const h = new History(limits);
    h.appendLater(this);
    return h;
  }

  /** Everything this history holds now, its times moved by `shift` (to the wall clock: the session's start); the rings' rows held (ColumnRing.hold). */
  exportState(shift: number): HistoryState {
    const hours = this.hours.exportState(shift);
    const days = this.days.exportState(shift);
    return {
      raw: this.raw.hold(shift),
      minutes: this.minutes.hold(shift),
      hours: hours.rows,
      days: days.rows,
      minuteT: this.minuteT === null ? null : this.minuteT + shift,
      hourT: hours.t,
      dayT: days.t,
      minute: exportRow(this.minute),
      hour: hours.open,
      day: days.open,
    };
  }

  /** Takes what exportState gave (times moved by `shift`: onto this session's clock), in place of what it held. */
  importState(state: HistoryState, shift: number): void {
    this.raw.importRows(shifted(state.raw, shift));
    this.minutes.importRows(state.minutes, shift);
    this.hours.importState(state.hours, state.hourT, state.hour, shift);
    this.days.importState(state.days, state.dayT, state.day, shift);
    this.minuteT = state.minuteT === null ? null : state.minuteT + shift;
    this.minute = importRow(state.minute);
  }

  /** The columns of each ring, as a snapshot lays them out and reads them back. */
  static readonly layout = { raw: RAW_COLUMNS, minutes: BUCKET_COLUMNS, hours: BUCKET_COLUMNS, days: BUCKET_COLUMNS } as const;

  addMiss(t: number): void {
    this.roll(t);
    this.minute.missed++;
  }
  addDisconnect(t: number, cause: ChartedCause): void {
    this.roll(t);
    this.minute[causeField(cause)]++;
  }
  addAttempt(t: number): void {
    this.roll(t);
    this.minute.attempts++;
  }

  /** Raw samples in [from, to] still in the ring, and every bucket overlapping it (hours, then minutes, then the open minute). */
  query(from: number, to: number): HistoryWindow {
    const raw: RttPoint[] = [];
    for (let k = this.firstRawAtOrAfter(from); k < this.raw.length; k++) {
      const i = this.raw.index(k);
      const t = this.raw.cols.t[i]!;
      if (t > to) break;
      const network = this.raw.cols.n[i]!;
      raw.push({ t, rttMs: this.raw.cols.v[i]!, networkMs: Number.isNaN(network) ? null : network });
    }
    const buckets: Bucket[] = [];
    const take = (ring: BucketRing, span: number) => {
      for (let k = 0; k < ring.length; k++) {
        const t = ring.time(k);
        if (t + span > from && t <= to) buckets.push(toBucket(t, span, ring.rowAt(k)));
      }
    };
    const oldestMinute = this.minutes.length ? this.minutes.time(0) : (this.minuteT ?? Infinity);
    // An open hour (day) holds minutes (hours) already evicted from their ring: shown only for time the finer levels no longer cover.
    const oldestHour = this.hours.coveredFrom(oldestMinute);
    this.days.query(from, to, oldestHour, buckets);
    this.hours.query(from, to, oldestMinute, buckets);
    take(this.minutes, MINUTE);
    if (this.minuteT !== null && this.minuteT + MINUTE > from && this.minuteT <= to) {
      buckets.push(toBucket(this.minuteT, MINUTE, { ...this.minute, ...this.rawPercentiles(this.minuteT, this.minuteT + MINUTE) }));
    }
    return { raw, buckets };
  }

  /** Monotonic time of the oldest raw sample still held, or null. */
  get rawSince(): number | null {
    return this.raw.length ? this.raw.cols.t[this.raw.index(0)]! : null;
  }

  /** The time of the oldest thing this history holds (null: nothing). */
  get since(): number | null {
    const first = (ring: BucketRing) => (ring.length ? ring.time(0) : Infinity);
    const t = Math.min(
      ...[this.days, this.hours].map((l) => Math.min(first(l.ring), l.openT ?? Infinity)),
      first(this.minutes),
      this.minuteT ?? Infinity,
      this.rawSince ?? Infinity,
    );
    return t < Infinity ? t : null;
  }

  /** Bytes held by this history: grows with the session up to the limits, never past them. */
  get bytes(): number {
    return this.raw.bytes + this.minutes.bytes + this.hours.ring.bytes + this.days.ring.bytes;
  }

  private firstRawAtOrAfter(from: number): number {
    let lo = 0;
    let hi = this.raw.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.raw.cols.t[this.raw.index(mid)]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The percentiles a bucket keeps, of the raw samples in [from, to). */
  private rawPercentiles(from: number, to: number): Pick<BucketRow, (typeof SPREAD_FIELDS)[number]> {
    const values: number[] = [];
    for (let k = this.firstRawAtOrAfter(from); k < this.raw.length; k++) {
      const i = this.raw.index(k);
      if (this.raw.cols.t[i]! >= to) break;
      values.push(this.raw.cols.v[i]!);
    }
    values.sort((a, b) => a - b);
    const q = (p: number) => percentile(values, p) ?? 0;
    return { p10: q(0.1), p50: q(0.5), p90: q(0.9) };
  }

  /** Closes the open minute when `t` falls past it. */
  private roll(t: number): void {
    const mt = Math.floor(t / MINUTE) * MINUTE;
    if (this.minuteT === null) this.minuteT = mt;
    if (mt === this.minuteT) return;
    this.closeMinute();
    this.minuteT = mt;
  }

  private closeMinute(): void {
    if (this.minuteT === null) return;
    this.pushMinute(this.minuteT, { ...this.minute, ...this.rawPercentiles(this.minuteT, this.minuteT + MINUTE) });
    this.minuteT = null;
    this.minute = emptyRow();
  }

  private pushMinute(t: number, row: BucketRow): void {
    const evicted = this.minutes.push(t, row);
    // What the minutes hold rolls up into hours and days: their rings take the columns the minutes use.
    if (this.minutes.sized) {
      this.hours.ring.reserve(this.minutes);
      this.days.ring.reserve(this.minutes);
    }
    if (evicted) this.hours.add(evicted.t, evicted.row);
  }
}

function toBucket(t: number, spanMs: number, r: BucketRow): Bucket {
  const has = r.count > 0;
  return {
    t,
    spanMs,
    count: r.count,
    minMs: has ? r.min : null,
    maxMs: has ? r.max : null,
    meanMs: has ? r.sum / r.count : null,
    p10Ms: has ? r.p10 : null,
    medianMs: has ? r.p50 : null,
    p90Ms: has ? r.p90 : null,
    missed: r.missed,
    disconnects: Object.fromEntries(CHARTED_CAUSES.map((c) => [c, r[causeField(c)]])) as Bucket['disconnects'],
    attempts: r.attempts,
    networkMeanMs: r.netCount > 0 ? r.netSum / r.netCount : null,
  };
}

const isEmpty = (r: BucketRow) => COUNT_FIELDS.every((f) => r[f] === 0);
