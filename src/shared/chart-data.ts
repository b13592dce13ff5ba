// Turns a history answer into chart data. Pure, so it is tested under Node.
import type { HistoryAnswer } from './api';
import type { EventOf } from './events';
import { outageStep, type WsmonEvent } from './events';
import { CHARTED_CAUSES, type Bucket, type ChartedCause, type HistoryWindow, type RttPoint } from './series';

export interface XY {
  x: number;
  y: number;
}

export interface RttData {
  raw: XY[];
  bandMin: XY[];
  bandMax: XY[];
  mean: XY[];
  /** Disconnect markers, by cause, at the RTT axis' floor. */
  marks: Record<ChartedCause, XY[]>;
}

/** The buckets with samples that end before the raw ring reaches back: what stands in for raw samples there. */
function olderBuckets(h: HistoryWindow): Bucket[] {
  const rawFrom = h.raw.length ? h.raw[0]!.t : Infinity;
  return h.buckets.filter((b) => b.count > 0 && b.t + b.spanMs <= rawFrom);
}

/** One RTT line (the overview's): bucket means at their middle before the raw ring reaches back, then raw samples. */
export function rttLine(h: HistoryWindow): RttPoint[] {
  return [...olderBuckets(h).map((b) => ({ t: b.t + b.spanMs / 2, rttMs: b.meanMs! })), ...h.raw];
}

/** Raw samples where the ring holds them; before that, the buckets' min–max band and mean. */
export function rttData(h: HistoryAnswer, wallOf: (mono: number) => number): RttData {
  const older = olderBuckets(h);
  const mid = (b: { t: number; spanMs: number }) => wallOf(b.t + b.spanMs / 2);
  const marks = Object.fromEntries(CHARTED_CAUSES.map((c) => [c, [] as XY[]])) as Record<ChartedCause, XY[]>;
  for (const { e, cause } of outages(h.events)) marks[cause].push({ x: wallOf(e.mono), y: 0 });
  return {
    raw: h.raw.map((p) => ({ x: wallOf(p.t), y: p.rttMs })),
    bandMin: older.map((b) => ({ x: mid(b), y: b.minMs! })),
    bandMax: older.map((b) => ({ x: mid(b), y: b.maxMs! })),
    mean: older.map((b) => ({ x: mid(b), y: b.meanMs! })),
    marks,
  };
}

/**
 * Disconnects per time bin, by cause. Exact event times where the recent
 * events reach back far enough, else the history buckets' counts.
 */
export function disconnectBins(h: HistoryAnswer, from: number, to: number, bins: number, wallOf: (mono: number) => number): Record<ChartedCause, XY[]> {
  const width = Math.max(1, (to - from) / bins);
  const counts = Object.fromEntries(CHARTED_CAUSES.map((c) => [c, new Array<number>(bins).fill(0)])) as Record<ChartedCause, number[]>;
  const bin = (t: number) => Math.min(bins - 1, Math.max(0, Math.floor((t - from) / width)));
  const eventsFrom = h.events.length ? h.events[0]!.mono : Infinity;
  for (const b of h.buckets) {
    if (b.t + b.spanMs > eventsFrom) continue; // covered by events
    for (const c of CHARTED_CAUSES) if (b.disconnects[c]) counts[c][bin(b.t + b.spanMs / 2)]! += b.disconnects[c];
  }
  for (const { e, cause } of outages(h.events)) if (e.mono >= from && e.mono <= to) counts[cause][bin(e.mono)]! += 1;
  return Object.fromEntries(
    CHARTED_CAUSES.map((c) => [c, counts[c].map((n, i) => ({ x: wallOf(from + (i + 0.5) * width), y: n }))]),
  ) as Record<ChartedCause, XY[]>;
}

/** Each scheduled reconnect at its time, with its backoff delay in ms. */
export function attemptPoints(h: HistoryAnswer, wallOf: (mono: number) => number): (XY & { attempt: number })[] {
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
