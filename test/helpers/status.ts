// An endpoint's status built for a test: what the health model, the tray and the table read.
import { DEFAULTS } from '../../src/shared/config';
import type { ConnState, EndpointStatus, NetworkReading } from '../../src/shared/status';
import { healthOf } from '../../src/shared/health';
import type { JudgedEndpoint } from '../../src/shared/list-query';
import type { TableSource } from '../../src/cli/table';

export interface Over {
  rtt?: number | null;
  loss?: number | null;
  downSince?: number | null;
  staleSince?: number | null;
  attempt?: number;
  connects?: number;
  error?: string;
  /** What last took it down, when it is not an error (a close by the server). */
  cause?: string;
  outages?: number[];
  since?: number;
  tags?: string[];
  /** The kernel's RTT of the socket (shared/health.ts slowSide). */
  network?: NetworkReading | null;
  incident?: string;
}

export function status(name: string, state: ConnState, over: Over = {}): EndpointStatus {
  return {
    id: name,
    name,
    url: `ws://h/${name}`,
    state,
    pausedBy: state === 'paused' ? 'user' : null,
    attempt: over.attempt ?? 0,
    retryAtMono: null,
    sinceMono: over.since ?? 0,
    downSinceMono: over.downSince ?? null,
    staleSinceMono: over.staleSince ?? null,
    outageStartsMono: over.outages ?? [],
    alerts: DEFAULTS.alerts,
    tags: over.tags ?? [],
    heartbeatMs: 10_000,
    removed: false,
    beats: [],
    protocol: '',
    appProtocol: null,
    negotiated: null,
    lastError: over.error ? { code: over.error, message: over.error, mono: 0 } : null,
    lastCause: over.cause ?? (over.error ? over.error.replace(/^HTTP_/, 'HTTP ') : null),
    network: over.network ?? null,
    incident: over.incident ?? null,
    incidents: over.incident ? [over.incident] : [],
    stats: {
      rtt: { lastMs: over.rtt ?? null, minMs: null, meanMs: null, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null, jitterMs: null, samples: 0 },
      heartbeatsAnswered: 0,
      heartbeatsLate: 0,
      silences: 0,
      heartbeatsMissed: 0,
      loss: over.loss ?? null,
      uptime: null,
      connectedMs: 0,
      connects: over.connects ?? 1,
      phaseMeans: null,
      disconnects: { 'server-close': 0, heartbeat: 0, network: 0, handshake: 0, client: 0 },
      reconnectAttempts: 0,
    },
  };
}

/** A status as the tray and the table read it: judged once at `nowMono`, as the recorder's list item is. */
export function judged(s: EndpointStatus, nowMono: number): JudgedEndpoint {
  const { health, cause } = healthOf(s, nowMono);
  return { id: s.id, name: s.name, tags: s.tags, health, cause, rttMs: s.state === 'open' ? s.stats.rtt.lastMs : null };
}

/** The terminal table's source over these statuses (cli/table.ts). */
export function tableSource(statuses: EndpointStatus[], nowMono: number): TableSource {
  const byId = new Map(statuses.map((s) => [s.id, s]));
  return { items: statuses.map((s) => judged(s, nowMono)), status: (id) => byId.get(id)! };
}
