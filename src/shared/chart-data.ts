// Turns a history answer into chart data. Pure, so it is tested under Node.
import type { HistoryAnswer, OverviewCells } from './api';
import type { EventOf, WsmonEvent } from './events';
import { outageStep } from './events';
import { CHARTED_CAUSES, type Bucket, type ChartedCause, type HistoryWindow, type StateSegment } from './series';
import type { ConnState } from './status';
import { ms, round3 } from './format';
import { percentile } from './percentile';
import { PHASE_KEYS, PHASE_LABELS, PhaseTotals, slowestPhase, type ConnectPhases, type PhaseName } from './phases';

/** What the charts are drawn from: a history answer's records (its uptime figures aside). */
export type ChartSource = Omit<HistoryAnswer, 'id' | 'uptime' | 'eventsCompleteFrom'>;

export interface XY {
  x: number;
  y: number;
}

/**
 * One end of a history bucket (a minute, or an hour where minutes no longer
 * reach) as the RTT chart draws it: a step across the bucket's span at its
 * median (y), its spread, and its heartbeat loss. y is null where the
 * buckets break (time with no bucket: not monitored, or down without a
 * beat), so no line is drawn across it.
 */
export interface SpreadPoint {
  x: number;
  y: number | null;
  p10: number | null;
  p90: number | null;
  min: number | null;
  max: number | null;
  /** Beats missed of those sent in the span (0..1), null when none were sent. */
  loss: number | null;
  missed: number;
  beats: number;
}

/** Heartbeat loss over a span: beats missed of those sent (answered or missed); null when none were sent. */
export const lossOf = (answered: number, missed: number): number | null => (answered + missed > 0 ? missed / (answered + missed) : null);

/**
 * The scale a median is coloured by, as SmokePing colours its median by loss
 * (with fewer steps): a step is the first whose `below` the loss is under.
 * At the default 10 s heartbeat one miss in a minute is 17 % (5–20 %), two
 * are 33 %; at 1 s one miss is 1.7 % (under 5 %).
 */
export const LOSS_STEPS = [
  { below: Number.MIN_VALUE, label: 'no loss' },
  { below: 0.05, label: 'under 5 %' },
  { below: 0.2, label: '5–20 %' },
  { below: Infinity, label: '20 % or more' },
] as const;

/** The LOSS_STEPS index of a loss (no beats: step 0). */
export const lossStep = (loss: number | null): number => LOSS_STEPS.findIndex((s) => (loss ?? 0) < s.below);

/** A spread point in words: the tooltip's lines. */
export function spreadWords(p: SpreadPoint): string[] {
  const f = (v: number | null) => (v === null ? '–' : ms(v, 2));
  return [
    `median ${f(p.y)}`,
    `p10–p90 ${f(p.p10)} – ${f(p.p90)}`,
    `min–max ${f(p.min)} – ${f(p.max)}`,
    `loss ${p.loss === null ? '–' : `${round3(p.loss * 100)} %`} (${p.missed} of ${p.beats} beats)`,
  ];
}

/** The buckets in range as spread points, two per bucket (its start and end: a step), oldest first, broken where time has no bucket. */
export function spreadPoints(h: Pick<ChartSource, 'buckets'>, wallOf: (mono: number) => number): SpreadPoint[] {
  const out: SpreadPoint[] = [];
  let end: number | null = null;
  for (const b of h.buckets) {
    if (b.count === 0 && b.missed === 0) continue;
    if (end !== null && b.t > end + 1) out.push({ x: wallOf(end), y: null, p10: null, p90: null, min: null, max: null, loss: null, missed: 0, beats: 0 });
    end = b.t + b.spanMs;
    const point = {
      y: b.medianMs,
      p10: b.p10Ms,
      p90: b.p90Ms,
      min: b.minMs,
      max: b.maxMs,
      loss: lossOf(b.count, b.missed),
      missed: b.missed,
      beats: b.count + b.missed,
    };
    out.push({ x: wallOf(b.t), ...point }, { x: wallOf(end), ...point });
  }
  return out;
}

export interface RttData {
  /** Raw samples; a null y breaks the line where the link stopped being open (no line is drawn across an outage or a gap). */
  raw: { x: number; y: number | null }[];
  /** The kernel's RTT of the socket with each sample (the path's share), broken where raw is and where none was read. */
  network: { x: number; y: number | null }[];
  /** Every bucket in range: median, spread and loss (SmokePing's picture), behind the raw samples where those reach. */
  spread: SpreadPoint[];
  /** The buckets' mean network RTT, where they hold one. */
  networkMean: XY[];
  /** Disconnect markers, by cause, at the RTT axis' floor. */
  marks: Record<ChartedCause, XY[]>;
  /** Heartbeats missed (not answered in time), at the RTT axis' floor. */
  missed: XY[];
  /** Outages as spans of wall time, for shading. */
  outages: { from: number; to: number }[];
}

/** The buckets with samples that end before the raw ring reaches back: what stands in for raw samples there. */
function olderBuckets(h: HistoryWindow): Bucket[] {
  const rawFrom = h.raw.length ? h.raw[0]!.t : Infinity;
  return h.buckets.filter((b) => b.count > 0 && b.t + b.spanMs <= rawFrom);
}

/** The outages in range as spans of wall time, for shading every chart of the page. */
export function outagesOf(h: Pick<ChartSource, 'states'>, wallOf: (mono: number) => number): { from: number; to: number }[] {
  return outageSpans(h.states).map((o) => ({ from: wallOf(o.from), to: wallOf(o.to) }));
}

/** Raw samples where the ring holds them; the buckets' median, spread and loss over the whole range. */
export function rttData(h: ChartSource, wallOf: (mono: number) => number): RttData {
  const older = olderBuckets(h);
  const mid = (b: { t: number; spanMs: number }) => wallOf(b.t + b.spanMs / 2);
  const marks = Object.fromEntries(CHARTED_CAUSES.map((c) => [c, [] as XY[]])) as Record<ChartedCause, XY[]>;
  for (const { e, cause } of outages(h.events)) marks[cause].push({ x: wallOf(e.mono), y: 0 });
  // The line breaks wherever the link stopped being open (an outage, a pause, wsmon not running between two runs):
  // one break per gap, and none before the first sample.
  const breaks = h.states.filter((seg) => seg.state !== 'open').map((seg) => seg.from);
  const raw: RttData['raw'] = [];
  const network: RttData['network'] = [];
  let next = 0;
  for (const p of h.raw) {
    for (; next < breaks.length && breaks[next]! <= p.t; next++) {
      for (const line of [raw, network]) if (line.at(-1)?.y != null) line.push({ x: wallOf(breaks[next]!), y: null });
    }
    raw.push({ x: wallOf(p.t), y: p.rttMs });
    if (p.networkMs !== null || network.at(-1)?.y != null) network.push({ x: wallOf(p.t), y: p.networkMs });
  }
  return {
    raw,
    network,
    missed: h.events.filter((e) => e.type === 'heartbeat-missed' && !e.silence).map((e) => ({ x: wallOf(e.mono), y: 0 })),
    outages: outagesOf(h, wallOf),
    spread: spreadPoints(h, wallOf),
    networkMean: older.filter((b) => b.networkMeanMs !== null).map((b) => ({ x: mid(b), y: b.networkMeanMs! })),
    marks,
  };
}

/** Which of `bins` equal spans of [from, to] a time falls in (clamped to the ends). */
function binOf(from: number, to: number, bins: number): (t: number) => number {
  const width = Math.max(1e-9, (to - from) / bins);
  return (t) => Math.min(bins - 1, Math.max(0, Math.floor((t - from) / width)));
}

/**
 * Counts per time bin: exact event times (`times`) where the recent events
 * reach back, and before that the history buckets' counts (`ofBucket`), so
 * nothing is counted twice and nothing older than the events is lost.
 */
function countBins(h: ChartSource, from: number, to: number, bins: number, ofBucket: (b: Bucket) => number, times: number[]): number[] {
  const counts = new Array<number>(bins).fill(0);
  const bin = binOf(from, to, bins);
  const eventsFrom = h.events.length ? h.events[0]!.mono : Infinity;
  for (const b of h.buckets) {
    const mid = b.t + b.spanMs / 2;
    // Covered by events; or its middle is outside the window (it is not piled onto the window's edge).
    if (b.t + b.spanMs > eventsFrom || mid < from || mid > to) continue;
    const n = ofBucket(b);
    if (n) counts[bin(mid)]! += n;
  }
  for (const t of times) if (t >= from && t <= to) counts[bin(t)]! += 1;
  return counts;
}

/**
 * Disconnects per time bin, by cause. Exact event times where the recent
 * events reach back far enough, else the history buckets' counts.
 */
export function disconnectBins(h: ChartSource, from: number, to: number, bins: number, wallOf: (mono: number) => number): Record<ChartedCause, XY[]> {
  const width = (to - from) / bins;
  const starts = outages(h.events);
  return Object.fromEntries(
    CHARTED_CAUSES.map((c) => {
      const counts = countBins(
        h,
        from,
        to,
        bins,
        (b) => b.disconnects[c],
        starts.filter((o) => o.cause === c).map((o) => o.e.mono),
      );
      return [c, counts.map((n, i) => ({ x: wallOf(from + (i + 0.5) * width), y: n }))];
    }),
  ) as Record<ChartedCause, XY[]>;
}

/** Whether point `i` of a line has no neighbour to join (the first sample, or one between two breaks): it needs a dot to be seen. */
export function isLone(points: { y: number | null }[], i: number): boolean {
  const joined = (p: { y: number | null } | undefined) => p !== undefined && p.y !== null;
  return points[i]?.y !== null && !joined(points[i - 1]) && !joined(points[i + 1]);
}

/** Reconnect attempts per time bin: the same records as the attempts card (buckets, then exact events), so older attempts are not dropped when the recent events no longer reach back. */
export function attemptBins(h: ChartSource, from: number, to: number, bins: number, wallOf: (mono: number) => number): XY[] {
  const width = (to - from) / bins;
  const times = h.events.filter((e) => e.type === 'reconnect-scheduled').map((e) => e.mono);
  return countBins(h, from, to, bins, (b) => b.attempts, times).map((n, i) => ({ x: wallOf(from + (i + 0.5) * width), y: n }));
}

/** The sum of a binned series: what a bar chart shows, in one number. */
export const total = (points: XY[]) => points.reduce((n, p) => n + p.y, 0);

/**
 * Outages as spans: each run of not-open states (retrying, connecting again,
 * closing) that holds a wait for a retry or a give-up. A user's pause or stop
 * is not an outage; nor is the first connect.
 */
export function outageSpans(states: StateSegment[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let run: { from: number; to: number; failed: boolean } | null = null;
  const close = () => {
    if (run?.failed) out.push({ from: run.from, to: run.to });
    run = null;
  };
  for (const seg of states) {
    if (seg.state === 'open' || !isMonitored(seg.state)) {
      close();
      continue;
    }
    run ??= { from: seg.from, to: seg.to, failed: false };
    run.to = seg.to;
    if (CELL_OF[seg.state] === 'outage') run.failed = true;
  }
  close();
  return out;
}

/** Whether time in `state` counts for uptime (paused, stopped and idle time are not monitored). */
export const isMonitored = (state: ConnState): boolean => CELL_OF[state] !== 'off';

/** Share of monitored time spent open in these segments (paused, stopped, idle and unmonitored time left out), or null with none. */
export function uptime(states: StateSegment[]): number | null {
  let open = 0;
  let monitored = 0;
  for (const s of states) {
    if (!isMonitored(s.state)) continue;
    monitored += s.to - s.from;
    if (s.state === 'open') open += s.to - s.from;
  }
  return monitored > 0 ? open / monitored : null;
}

/** What an overview cell says about its span, least to most telling: a cell shows the most telling state in it. */
/**
 * How many cells the overview's rows get over `rangeMs`: as many as the data
 * can fill — no cell shorter than the endpoints' usual heartbeat interval (the
 * median of theirs, so one slow endpoint does not coarsen every row) — at most
 * `most`, at least 10. An endpoint slower than that still has cells with no
 * sample: they are drawn empty, and the legend says so.
 */
export function overviewColumns(rangeMs: number, heartbeatsMs: readonly (number | null)[], most: number): number {
  const known = heartbeatsMs.filter((h): h is number => h !== null && h > 0).sort((a, b) => a - b);
  if (known.length === 0) return most;
  const typical = known[Math.floor((known.length - 1) / 2)]!;
  return Math.max(10, Math.min(most, Math.floor(rangeMs / typical)));
}

export const CELL_STATES = ['none', 'off', 'up', 'outage'] as const;
export type CellState = (typeof CELL_STATES)[number];
/** connecting and closing say nothing alone: the waiting around failed attempts is what marks an outage. */
const CELL_OF: Record<ConnState, CellState> = {
  idle: 'off',
  paused: 'off',
  stopped: 'off',
  connecting: 'none',
  closing: 'none',
  open: 'up',
  waiting: 'outage',
  'gave-up': 'outage',
};

/** One endpoint over [from, to] in `columns` equal spans: the overview's row. */

/**
 * The overview's cells, from the same history the endpoint's page draws: raw
 * samples where the ring holds them, buckets before; misses from events,
 * buckets before; states from the state timeline. Pure.
 */
export function overviewCells(h: ChartSource, from: number, to: number, columns: number): OverviewCells {
  const bin = binOf(from, to, columns);
  const spread = new SpanSpread(columns);
  const network = new SpanMeans(columns);
  for (const b of olderBuckets(h)) {
    const i = bin(b.t + b.spanMs / 2);
    spread.addBucket(i, b.medianMs!, b.p90Ms!, b.count);
    if (b.networkMeanMs !== null) network.add(i, b.networkMeanMs, b.count);
  }
  for (const p of h.raw) {
    if (p.t < from || p.t > to) continue;
    spread.addSample(bin(p.t), p.rttMs);
    if (p.networkMs !== null) network.add(bin(p.t), p.networkMs, 1);
  }
  const missed = countBins(
    h,
    from,
    to,
    columns,
    (b) => b.missed,
    h.events.filter((e) => e.type === 'heartbeat-missed').map((e) => e.mono),
  );
  const rank = new Array<number>(columns).fill(0);
  for (const seg of h.states) {
    const r = CELL_STATES.indexOf(CELL_OF[seg.state]);
    // A segment's last instant belongs to the next one: [from, to).
    const last = seg.to > seg.from ? bin(seg.to - 1e-6) : bin(seg.from);
    for (let i = bin(seg.from); i <= last; i++) rank[i] = Math.max(rank[i]!, r);
  }
  return { ...spread.cells(), networkMs: network.means(), missed, states: rank.join('') };
}

/**
 * Median and p90 per span: exact from the samples in it, averaged by samples
 * with the buckets' own where only buckets reach (SmokePing's consolidation).
 */
class SpanSpread {
  private readonly samples: number[][];
  private readonly bucketSum: { median: number; p90: number; n: number }[];
  constructor(columns: number) {
    this.samples = Array.from({ length: columns }, () => []);
    this.bucketSum = Array.from({ length: columns }, () => ({ median: 0, p90: 0, n: 0 }));
  }
  addSample(i: number, v: number): void {
    this.samples[i]!.push(v);
  }
  addBucket(i: number, median: number, p90: number, count: number): void {
    const s = this.bucketSum[i]!;
    s.median += median * count;
    s.p90 += p90 * count;
    s.n += count;
  }
  cells(): Pick<OverviewCells, 'rttMs' | 'p90Ms' | 'answered'> {
    const rttMs: (number | null)[] = [];
    const p90Ms: (number | null)[] = [];
    const answered: number[] = [];
    this.samples.forEach((values, i) => {
      const b = this.bucketSum[i]!;
      const n = values.length + b.n;
      answered.push(n);
      values.sort((x, y) => x - y);
      const q = (p: number) => percentile(values, p)!;
      const at = (p: number, fromBuckets: number) => (n ? round3(((values.length ? q(p) * values.length : 0) + fromBuckets) / n) : null);
      rttMs.push(at(0.5, b.median));
      p90Ms.push(at(0.9, b.p90));
    });
    return { rttMs, p90Ms, answered };
  }
}

/** Weighted means per span. */
class SpanMeans {
  private readonly sum: number[];
  private readonly n: number[];
  constructor(columns: number) {
    this.sum = new Array<number>(columns).fill(0);
    this.n = new Array<number>(columns).fill(0);
  }
  add(i: number, mean: number, count: number): void {
    this.sum[i]! += mean * count;
    this.n[i]! += count;
  }
  means(): (number | null)[] {
    return this.sum.map((s, i) => (this.n[i] ? round3(s / this.n[i]!) : null));
  }
}

/** Each scheduled reconnect at its time, with its backoff delay in ms. */
export function attemptPoints(h: ChartSource, wallOf: (mono: number) => number): (XY & { attempt: number })[] {
  return h.events
    .filter((e): e is EventOf<'reconnect-scheduled'> => e.type === 'reconnect-scheduled')
    .map((e) => ({ x: wallOf(e.mono), y: e.delayMs, attempt: e.attempt }));
}

/** The events that start an outage, with its cause (the same rule as the engine's counters). */
function outages(events: WsmonEvent[]): { e: WsmonEvent; cause: ChartedCause }[] {
  const out: { e: WsmonEvent; cause: ChartedCause }[] = [];
  let down = false;
  for (const e of events) {
    const step = outageStep(e, down);
    down = step.down;
    if (step.cause && step.cause !== 'client') out.push({ e, cause: step.cause });
  }
  return out;
}

export interface PhaseBars {
  /** Per phase, a bar at each connect in range (0 where the connect had no such phase): stacked, the bar is the handshake. */
  bars: Record<PhaseName, XY[]>;
  connects: number;
  /** The phase with the longest mean over those connects, with that mean. */
  slowest: { phase: PhaseName; ms: number } | null;
}

/** The connects in [from, to] that the events hold, phase by phase (open events carry their phases). */
export function phaseBars(h: ChartSource, from: number, to: number, wallOf: (mono: number) => number): PhaseBars {
  const opens = h.events.filter(
    (e): e is EventOf<'open'> & { phases: ConnectPhases } => e.type === 'open' && e.phases !== undefined && e.mono >= from && e.mono <= to,
  );
  const bars = Object.fromEntries(PHASE_KEYS.map((k) => [PHASE_LABELS[k], opens.map((e) => ({ x: wallOf(e.mono), y: e.phases[k] ?? 0 }))])) as Record<
    PhaseName,
    XY[]
  >;
  const totals = new PhaseTotals();
  for (const e of opens) totals.add(e.phases);
  const means = totals.means();
  return { bars, connects: opens.length, slowest: means && slowestPhase(means) };
}
