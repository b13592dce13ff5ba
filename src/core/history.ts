// Bounded time series for one endpoint. Recent RTT samples are kept raw in a
// ring; every sample also lands in a one-minute bucket, minutes roll up into
// hours. Memory is fixed at construction, whatever the session length.
import { type Bucket, type ChartedCause, type HistoryWindow, type RttPoint } from '../shared/series';
import { percentile } from './stats';

export interface HistoryLimits {
  rawCapacity: number;
  minuteCapacity: number;
  hourCapacity: number;
}

export const DEFAULT_LIMITS: HistoryLimits = { rawCapacity: 2048, minuteCapacity: 1440, hourCapacity: 336 };

const CAUSE_FIELD: Record<ChartedCause, 'dServer' | 'dHeartbeat' | 'dNetwork' | 'dHandshake'> = {
  'server-close': 'dServer',
  heartbeat: 'dHeartbeat',
  network: 'dNetwork',
  handshake: 'dHandshake',
};

const MINUTE = 60_000;
const HOUR = 3_600_000;
const BUCKET_FIELDS = ['count', 'min', 'max', 'sum', 'p95', 'missed', 'dServer', 'dHeartbeat', 'dNetwork', 'dHandshake', 'attempts'] as const;
type BucketField = (typeof BUCKET_FIELDS)[number];
type BucketRow = Record<BucketField, number>;

/** A ring of fixed-size rows kept as typed-array columns (times in Float64, values in Float32). */
class BucketRing {
  private readonly times: Float64Array;
  private readonly cols: Record<BucketField, Float32Array>;
  private start = 0;
  length = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.cols = Object.fromEntries(BUCKET_FIELDS.map((f) => [f, new Float32Array(capacity)])) as Record<BucketField, Float32Array>;
  }
  /** Appends a row; returns the evicted row when the ring was full. */
  push(t: number, row: BucketRow): { t: number; row: BucketRow } | null {
    let evicted: { t: number; row: BucketRow } | null = null;
    if (this.length === this.capacity) {
      evicted = { t: this.times[this.start]!, row: this.row(this.start) };
      this.start = (this.start + 1) % this.capacity;
      this.length--;
    }
    const i = (this.start + this.length) % this.capacity;
    this.times[i] = t;
    for (const f of BUCKET_FIELDS) this.cols[f][i] = row[f];
    this.length++;
    return evicted;
  }
  time(k: number): number {
    return this.times[(this.start + k) % this.capacity]!;
  }
  rowAt(k: number): BucketRow {
    return this.row((this.start + k) % this.capacity);
  }
  private row(i: number): BucketRow {
    return Object.fromEntries(BUCKET_FIELDS.map((f) => [f, this.cols[f][i]!])) as BucketRow;
  }
  get bytes(): number {
    return this.times.byteLength + BUCKET_FIELDS.length * this.cols.count.byteLength;
  }
}

const emptyRow = (): BucketRow => ({ count: 0, min: Infinity, max: -Infinity, sum: 0, p95: 0, missed: 0, dServer: 0, dHeartbeat: 0, dNetwork: 0, dHandshake: 0, attempts: 0 });

function mergeInto(acc: BucketRow, row: BucketRow): void {
  acc.count += row.count;
  if (row.count > 0) {
    acc.min = Math.min(acc.min, row.min);
    acc.max = Math.max(acc.max, row.max);
    acc.sum += row.sum;
    acc.p95 = Math.max(acc.p95, row.p95);
  }
  acc.missed += row.missed;
  acc.dServer += row.dServer;
  acc.dHeartbeat += row.dHeartbeat;
  acc.dNetwork += row.dNetwork;
  acc.dHandshake += row.dHandshake;
  acc.attempts += row.attempts;
}

export class History {
  private readonly rawT: Float64Array;
  private readonly rawV: Float32Array;
  private rawStart = 0;
  private rawLen = 0;
  private readonly minutes: BucketRing;
  private readonly hours: BucketRing;
  private minuteT: number | null = null;
  private minute = emptyRow();
  private hourT: number | null = null;
  private hour = emptyRow();

  constructor(readonly limits: HistoryLimits = DEFAULT_LIMITS) {
    this.rawT = new Float64Array(limits.rawCapacity);
    this.rawV = new Float32Array(limits.rawCapacity);
    this.minutes = new BucketRing(limits.minuteCapacity);
    this.hours = new BucketRing(limits.hourCapacity);
  }

  addRtt(t: number, rttMs: number): void {
    this.roll(t);
    const cap = this.limits.rawCapacity;
    const i = (this.rawStart + this.rawLen) % cap;
    this.rawT[i] = t;
    this.rawV[i] = rttMs;
    if (this.rawLen < cap) this.rawLen++;
    else this.rawStart = (this.rawStart + 1) % cap;
    const m = this.minute;
    m.count++;
    m.min = Math.min(m.min, rttMs);
    m.max = Math.max(m.max, rttMs);
    m.sum += rttMs;
  }
  addMiss(t: number): void {
    this.roll(t);
    this.minute.missed++;
  }
  addDisconnect(t: number, cause: ChartedCause): void {
    this.roll(t);
    this.minute[CAUSE_FIELD[cause]]++;
  }
  addAttempt(t: number): void {
    this.roll(t);
    this.minute.attempts++;
  }

  /** Raw samples in [from, to] still in the ring, and every bucket overlapping it (hours, then minutes, then the open minute). */
  query(from: number, to: number): HistoryWindow {
    const raw: RttPoint[] = [];
    const cap = this.limits.rawCapacity;
    for (let k = this.firstRawAtOrAfter(from); k < this.rawLen; k++) {
      const i = (this.rawStart + k) % cap;
      const t = this.rawT[i]!;
      if (t > to) break;
      raw.push({ t, rttMs: this.rawV[i]! });
    }
    const buckets: Bucket[] = [];
    const take = (ring: BucketRing, span: number) => {
      for (let k = 0; k < ring.length; k++) {
        const t = ring.time(k);
        if (t + span > from && t <= to) buckets.push(toBucket(t, span, ring.rowAt(k)));
      }
    };
    const oldestMinute = this.minutes.length ? this.minutes.time(0) : this.minuteT ?? Infinity;
    take(this.hours, HOUR);
    // The open hour holds minutes already evicted from the minute ring; show it only for time the minutes no longer cover.
    if (this.hourT !== null && !isEmpty(this.hour) && this.hourT < oldestMinute && this.hourT + HOUR > from && this.hourT <= to) {
      buckets.push(toBucket(this.hourT, Math.min(HOUR, oldestMinute - this.hourT), this.hour));
    }
    take(this.minutes, MINUTE);
    if (this.minuteT !== null && this.minuteT + MINUTE > from && this.minuteT <= to) {
      buckets.push(toBucket(this.minuteT, MINUTE, { ...this.minute, p95: this.rawP95(this.minuteT, this.minuteT + MINUTE) }));
    }
    return { raw, buckets };
  }

  /** Monotonic time of the oldest raw sample still held, or null. */
  get rawSince(): number | null {
    return this.rawLen ? this.rawT[this.rawStart]! : null;
  }

  /** Bytes held by this history: fixed at construction. */
  get bytes(): number {
    return this.rawT.byteLength + this.rawV.byteLength + this.minutes.bytes + this.hours.bytes;
  }

  private firstRawAtOrAfter(from: number): number {
    let lo = 0;
    let hi = this.rawLen;
    const cap = this.limits.rawCapacity;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rawT[(this.rawStart + mid) % cap]! < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private rawP95(from: number, to: number): number {
    const values: number[] = [];
    const cap = this.limits.rawCapacity;
    for (let k = this.firstRawAtOrAfter(from); k < this.rawLen; k++) {
      const i = (this.rawStart + k) % cap;
      if (this.rawT[i]! >= to) break;
      values.push(this.rawV[i]!);
    }
    values.sort((a, b) => a - b);
    return percentile(values, 0.95) ?? 0;
  }

  /** Closes the open minute (and hour) when `t` falls past it. */
  private roll(t: number): void {
    const mt = Math.floor(t / MINUTE) * MINUTE;
    if (this.minuteT === null) this.minuteT = mt;
    if (mt === this.minuteT) return;
    const closed = { ...this.minute, p95: this.rawP95(this.minuteT, this.minuteT + MINUTE) };
    const evicted = this.minutes.push(this.minuteT, closed);
    if (evicted) this.addToHour(evicted.t, evicted.row);
    this.minuteT = mt;
    this.minute = emptyRow();
  }

  private addToHour(t: number, row: BucketRow): void {
    const ht = Math.floor(t / HOUR) * HOUR;
    if (this.hourT !== null && ht !== this.hourT) {
      this.hours.push(this.hourT, this.hour);
      this.hour = emptyRow();
    }
    this.hourT = ht;
    mergeInto(this.hour, row);
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
    p95Ms: has ? r.p95 : null,
    missed: r.missed,
    disconnects: { 'server-close': r.dServer, heartbeat: r.dHeartbeat, network: r.dNetwork, handshake: r.dHandshake },
    attempts: r.attempts,
  };
}

const isEmpty = (r: BucketRow) => r.count + r.missed + r.dServer + r.dHeartbeat + r.dNetwork + r.dHandshake + r.attempts === 0;
