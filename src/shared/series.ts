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
  /** For minute buckets the exact p95 of the raw samples; for hours, the worst minute's p95 (an upper bound). */
  p95Ms: number | null;
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

/** A stretch of time an endpoint spent in one state. */
export interface StateSegment {
  from: number;
  to: number;
  state: ConnState;
}
