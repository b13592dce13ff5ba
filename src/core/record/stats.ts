// Session-long statistics in fixed memory: exact last/min/max/mean/jitter,
// percentiles from a log-bucketed histogram (relative error under 1 %).
import type { DisconnectCause } from '../../shared/events';
import { DISCONNECT_CAUSES } from '../../shared/events';
import type { EndpointStats, RttStats } from '../../shared/status';
import { PhaseTotals } from '../../shared/phases';

const HIST_MIN_MS = 0.01;
const HIST_MAX_MS = 600_000;
const HIST_GROWTH = 1.01;
const LOG_GROWTH = Math.log(HIST_GROWTH);
const HIST_BUCKETS = Math.ceil(Math.log(HIST_MAX_MS / HIST_MIN_MS) / LOG_GROWTH) + 1;

export class LogHistogram {
  /** Taken at the first sample: an endpoint that never answered (one of ten thousand just added) holds none. */
  private counts: Uint32Array | null = null;
  total = 0;

  add(v: number): void {
    this.counts ??= new Uint32Array(HIST_BUCKETS);
    this.counts[bucketOf(v)]! += 1;
    this.total += 1;
  }
  /** The value at quantile q (0..1): the geometric middle of its bucket. */
  quantile(q: number): number | null {
    const counts = this.counts;
    if (this.total === 0 || !counts) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < HIST_BUCKETS; i++) {
      seen += counts[i]!;
      if (seen >= rank) return i === 0 ? HIST_MIN_MS : HIST_MIN_MS * Math.pow(HIST_GROWTH, i - 0.5);
    }
    return HIST_MAX_MS;
  }
  get bytes(): number {
    return this.counts?.byteLength ?? 0;
  }
}

function bucketOf(v: number): number {
  if (!(v > HIST_MIN_MS)) return 0;
  return Math.min(HIST_BUCKETS - 1, Math.ceil(Math.log(v / HIST_MIN_MS) / LOG_GROWTH));
}

export class RttAccumulator {
  private lastMs: number | null = null;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  count = 0;
  private jitterSum = 0;
  private readonly hist = new LogHistogram();

  add(rttMs: number): void {
    if (this.lastMs !== null) this.jitterSum += Math.abs(rttMs - this.lastMs);
    this.lastMs = rttMs;
    this.min = Math.min(this.min, rttMs);
    this.max = Math.max(this.max, rttMs);
    this.sum += rttMs;
    this.count += 1;
    this.hist.add(rttMs);
  }

  snapshot(): RttStats {
    const n = this.count;
    // Histogram quantiles are bucket middles; keep them inside the observed range.
    const q = (p: number) => (n === 0 ? null : clamp(this.hist.quantile(p)!, this.min, this.max));
    return {
      lastMs: this.lastMs,
      minMs: n ? this.min : null,
      meanMs: n ? this.sum / n : null,
      p50Ms: q(0.5),
      p95Ms: q(0.95),
      p99Ms: q(0.99),
      maxMs: n ? this.max : null,
      jitterMs: n > 1 ? this.jitterSum / (n - 1) : null,
      samples: n,
    };
  }
  get last(): number | null {
    return this.lastMs;
  }
  get bytes(): number {
    return this.hist.bytes + 64;
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Counters and time accounting for one endpoint. */
export class EndpointCounters {
  readonly rtt = new RttAccumulator();
  readonly phases = new PhaseTotals();
  heartbeatsMissed = 0;
  heartbeatsLate = 0;
  silences = 0;
  connects = 0;
  reconnectAttempts = 0;
  readonly disconnects = Object.fromEntries(DISCONNECT_CAUSES.map((c) => [c, 0])) as Record<DisconnectCause, number>;
  private openMs = 0;
  private monitoredMs = 0;
  private openSince: number | null = null;
  private monitoredSince: number | null = null;

  /** Call on every state change: whether the endpoint is now open, and whether it is monitored (not paused/stopped). */
  track(now: number, open: boolean, monitored: boolean): void {
    this.accrue(now);
    this.openSince = open ? now : null;
    this.monitoredSince = monitored ? now : null;
  }

  private accrue(now: number): void {
    if (this.openSince !== null) this.openMs += now - this.openSince;
    if (this.monitoredSince !== null) this.monitoredMs += now - this.monitoredSince;
    if (this.openSince !== null) this.openSince = now;
    if (this.monitoredSince !== null) this.monitoredSince = now;
  }

  /** Heartbeat loss, 0..1 (EndpointStats.loss). */
  get loss(): number | null {
    return this.answered + this.heartbeatsMissed ? this.heartbeatsMissed / (this.answered + this.heartbeatsMissed) : null;
  }

  /** RTT samples count late answers too (their latency is real); answers in time do not. */
  private get answered(): number {
    return this.rtt.count - this.heartbeatsLate;
  }

  snapshot(now: number): EndpointStats {
    this.accrue(now);
    return {
      rtt: this.rtt.snapshot(),
      heartbeatsAnswered: this.answered,
      heartbeatsMissed: this.heartbeatsMissed,
      heartbeatsLate: this.heartbeatsLate,
      silences: this.silences,
      loss: this.loss,
      uptime: this.monitoredMs > 0 ? Math.min(1, this.openMs / this.monitoredMs) : null,
      connectedMs: this.openMs,
      connects: this.connects,
      phaseMeans: this.phases.means(),
      disconnects: { ...this.disconnects },
      reconnectAttempts: this.reconnectAttempts,
    };
  }
}
