// What the engine reports about an endpoint at a moment: state and statistics.
import type { AlertThresholds, DisconnectCause, PauseCause } from './events';
import type { ConnectPhaseMeans } from './phases';

/**
 * Outage start times kept per endpoint, those within the flapping window
 * (shared/health.ts FLAPPING) only: the flapping count is exact up to this
 * many (one outage every 5 s for 5 minutes), bounded however fast a server drops.
 */
export const OUTAGES_KEPT = 64;

/** Heartbeat outcomes kept per endpoint for the list's heartbeat bar: the last ones, bounded. */
export const BEATS_KEPT = 30;

export const BEAT_KINDS = ['ok', 'slow', 'late', 'missed', 'down'] as const;
/**
 * ok: answered in time. slow: answered in time, RTT over the endpoint's alert
 * threshold. late: answered after its timeout (it counted missed). missed: not
 * answered, or (passive) a silence. down: a connection attempt that failed, or
 * the drop that began an outage.
 */
export type BeatKind = (typeof BEAT_KINDS)[number];

export interface BeatTick {
  /** Monotonic ms: when the answer, the miss or the failure was seen. */
  t: number;
  kind: BeatKind;
  /** ok, slow, late. */
  rttMs?: number;
  /** down: why, in the engine's words. */
  why?: string;
}

export const CONN_STATES = ['idle', 'connecting', 'open', 'closing', 'waiting', 'paused', 'stopped', 'gave-up'] as const;
/**
 * idle: added, not started. waiting: a retry is scheduled (the UI says "retrying").
 * stopped: the user disconnected. gave-up: maxAttempts reached.
 */
export type ConnState = (typeof CONN_STATES)[number];

export interface RttStats {
  lastMs: number | null;
  minMs: number | null;
  meanMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Mean absolute difference between consecutive samples. */
  jitterMs: number | null;
  samples: number;
}

export interface EndpointStats {
  rtt: RttStats;
  /** Beats answered in time. */
  heartbeatsAnswered: number;
  /** Beats not answered in time (a late answer does not undo its miss). */
  heartbeatsMissed: number;
  /** Of the missed beats, those answered late (their RTT is in `rtt`). */
  heartbeatsLate: number;
  /** Passive mode: deadlines passed with no traffic (no beat was sent, so these are no loss). */
  silences: number;
  /**
   * Heartbeat loss, 0..1: missed / (answered in time + missed). Null before the
   * first beat is settled, and always in passive mode, which sends no beats.
   */
  loss: number | null;
  /** Share of monitored time spent open, 0..1 (paused time is not counted). */
  uptime: number | null;
  connectedMs: number;
  connects: number;
  /** Each connect phase's mean over the connects that had it (null where none did); null before the first timed connect. */
  phaseMeans: ConnectPhaseMeans | null;
  disconnects: Record<DisconnectCause, number>;
  reconnectAttempts: number;
}

export interface LastError {
  code: string;
  message: string;
  mono: number;
}

export interface EndpointStatus {
  id: string;
  name: string;
  /** Redacted. */
  url: string;
  state: ConnState;
  pausedBy: PauseCause | null;
  /** Retry attempt number of the current/next connect; 0 for the first connect. */
  attempt: number;
  /** Monotonic time the scheduled retry fires, when state is "waiting". */
  retryAtMono: number | null;
  /** Monotonic time of the last state change. */
  sinceMono: number;
  /** When the current outage began (the first unrequested disconnect or failed connect since the last open), or null while not down. */
  downSinceMono: number | null;
  /** When the last few outages began (at most OUTAGES_KEPT, oldest first): flapping is judged from them. */
  outageStartsMono: number[];
  /** The last heartbeat outcomes, oldest first (at most BEATS_KEPT). */
  beats: BeatTick[];
  /** Removed (a past log's endpoint that was removed during its session). */
  removed: boolean;
  /** The thresholds its health is judged by (shared/health.ts). */
  alerts: AlertThresholds;
  /** Its tags, as set (the list groups and filters by them). */
  tags: string[];
  /** Its heartbeat interval (passive: the traffic period expected), or null where a past log does not say. */
  heartbeatMs: number | null;
  /** Connected but its data stopped (freshness): since when, or null. */
  staleSinceMono: number | null;
  protocol: string;
  /** The application protocol spoken on top (socketio, mqtt …) and what its handshake settled, from the last open; null without one. */
  appProtocol: string | null;
  negotiated: string | null;
  lastError: LastError | null;
  /**
   * What last took the endpoint down or kept it down, in words: an error's
   * code ("HTTP 503", "ECONNREFUSED"), a close by the server ('closed 1011
   * "overloaded"'), or "heartbeat timeout". Null before anything went wrong.
   */
  lastCause: string | null;
  /** The open incident (shared/incidents.ts) it is part of while it is down, or null. */
  incident: string | null;
  /** The last incidents it was part of (at most INCIDENTS_PER_ENDPOINT ids, oldest first). */
  incidents: string[];
  /** The kernel's RTT of the connection's socket at the last answer; null before one was read, off, or where it cannot be. */
  network: NetworkReading | null;
  stats: EndpointStats;
}

/** What the kernel says of a connection's path (events' networkRttMs): the path's share of the RTT. */
export interface NetworkReading {
  rttMs: number;
  rttVarMs: number | null;
  /** Through a proxy: the hop to the proxy, not the whole path. */
  toProxy: boolean;
}

/** Outages the user did not ask for, over every cause: the number the cards, the table and the report show. */
export function unrequestedDisconnects(stats: Pick<EndpointStats, 'disconnects'>): number {
  return (Object.keys(stats.disconnects) as DisconnectCause[]).reduce((n, c) => (c === 'client' ? n : n + stats.disconnects[c]), 0);
}
