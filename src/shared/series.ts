// Time series as the engine hands them to screens: raw RTT samples, consolidated
// buckets, and state segments. Times are the session's monotonic milliseconds.
import type { DisconnectCause } from './events';
import type { ConnState } from './status';

export interface RttPoint {
  /** Monotonic ms. */
  t: number;
  rttMs: number;
  /** The kernel's RTT of the socket read with this answer (the path's share), or null. */
  networkMs: number | null;
}

export interface Bucket {
  /** Monotonic ms at the bucket's start. */
  t: number;
  spanMs: number;
  count: number;
  minMs: number | null;
  maxMs: number | null;
  meanMs: number | null;
  /**
   * The spread: for minute buckets the exact 10th, 50th and 90th percentiles of the raw samples (a minute read
   * back from a per-minute-thinned log holds one sample, its mean); for hours, their minutes' averaged, weighted
   * by samples (SmokePing's consolidation).
   */
  p10Ms: number | null;
  medianMs: number | null;
  p90Ms: number | null;
  missed: number;
  /** Disconnects the user did not ask for, by cause. */
  disconnects: Record<ChartedCause, number>;
  attempts: number;
  /** Mean network RTT of the answers that carried one, or null. */
  networkMeanMs: number | null;
}

/** Causes counted in history: every disconnect but the user's own. */
export type ChartedCause = Exclude<DisconnectCause, 'client'>;
export const CHARTED_CAUSES: readonly ChartedCause[] = ['server-close', 'heartbeat', 'network', 'handshake'];
/** Each cause in words, for legends and tooltips. */
export const CAUSE_LABEL: Record<ChartedCause, string> = {
  'server-close': 'server close',
  heartbeat: 'heartbeat death',
  network: 'network error',
  handshake: 'handshake refused',
};

export interface HistoryWindow {
  raw: RttPoint[];
  buckets: Bucket[];
}

/** The spans uptime is given over (the endpoint's page, the API, `wsmon history`). */
export const UPTIME_SPANS = [
  { key: 'day', label: '24 h', ms: 86_400_000 },
  { key: 'week', label: '7 d', ms: 7 * 86_400_000 },
  { key: 'month', label: '30 d', ms: 30 * 86_400_000 },
  { key: 'quarter', label: '90 d', ms: 90 * 86_400_000 },
] as const;
export type UptimeSpan = (typeof UPTIME_SPANS)[number]['key'];

/** A stretch of time an endpoint spent in one state. */
export interface StateSegment {
  from: number;
  to: number;
  state: ConnState;
}
