// Prometheus metrics through prom-client: per-endpoint series labelled with the
// endpoint's name, plus the process's own metrics. Counters are read from the
// engine's counters at scrape time, so they match the events exactly; RTT is
// observed sample by sample into a histogram.
import { hostAllowed, isLoopback } from './loopback';
import { HEALTH_STATES, healthOf, SLOW_SIDES } from '../shared/health';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as PromClient from 'prom-client';
import type { Registry } from 'prom-client';
import { lazy } from '../core/engine/lazy';
import { DISCONNECT_CAUSES } from '../shared/events';
import { INCIDENT_SCOPES } from '../shared/incidents';
import { PHASE_LABELS, type ConnectPhases } from '../shared/phases';
import type { EndpointStatus } from '../shared/status';
import type { Monitor } from '../core/engine/monitor';
import type { Records } from '../core/record/records';

export const RTT_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `probe`: this probe's name, a label on every series, so that one Prometheus can gather many probes. */
// Loaded with --metrics only.
const promClient = lazy<typeof PromClient>('prom-client');

export function createMetrics(monitor: Monitor, records: Records, probe: string): Registry {
  const { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } = promClient();
  const registry = new Registry();
  registry.setDefaultLabels({ probe });
  collectDefaultMetrics({ register: registry });
  const names = new Map<string, string>();
  // One status per endpoint per scrape: every metric's collect() reads the same snapshot, taken once.
  let scrape: { id: string; endpoint: string; status: EndpointStatus }[] | null = null;
  const endpoints = () =>
    (scrape ??= (setImmediate(() => (scrape = null)), records.ids().map((id) => ({ id, endpoint: names.get(id) ?? id, status: records.status(id) }))));

  /** A value per endpoint and label set, read from the scrape's status snapshot. */
  type Read = (s: EndpointStatus, now: number) => [labels: Record<string, string>, value: number][];
  /**
   * One series per endpoint (and per extra label), read at scrape time from the
   * engine's counts and states: a gauge, or a counter of counts the engine keeps
   * (so it matches the events exactly, however often Prometheus scrapes).
   */
  const perEndpoint = (kind: 'gauge' | 'counter', name: string, help: string, extraLabel: string | null, read: Read) => {
    const Kind = kind === 'gauge' ? Gauge : Counter;
    new Kind({
      name,
      help,
      labelNames: extraLabel ? ['endpoint', extraLabel] : ['endpoint'],
      registers: [registry],
      collect(this: { reset(): void; set?(l: Record<string, string>, v: number): void; inc?(l: Record<string, string>, v: number): void }) {
        this.reset();
        const now = records.now();
        for (const { endpoint, status } of endpoints()) {
          for (const [labels, value] of read(status, now)) (this.set ?? this.inc)!.call(this, { endpoint, ...labels }, value);
        }
      },
    });
  };
  const one =
    (read: (s: EndpointStatus, now: number) => number): Read =>
    (s, now) => [[{}, read(s, now)]];

  // Incidents are the session's, not an endpoint's: one series per scope, 0 when none is open (so a rule can read it at once).
  new Gauge({
    name: 'wsmon_incident_active',
    help: `Open incidents (endpoints down together, shared/incidents.ts) by scope: ${INCIDENT_SCOPES.join(', ')}`,
    labelNames: ['scope'],
    registers: [registry],
    collect(this: PromClient.Gauge) {
      const open = records.incidents.active;
      for (const scope of INCIDENT_SCOPES) this.set({ scope }, open.filter((i) => i.scope === scope).length);
    },
  });
  perEndpoint(
    'gauge',
    'wsmon_up',
    '1 while the endpoint is connected, else 0',
    null,
    one((s) => (s.state === 'open' ? 1 : 0)),
  );
  const rtt = new Histogram({
    name: 'wsmon_rtt_seconds',
    help: 'Heartbeat round-trip time',
    labelNames: ['endpoint'],
    buckets: RTT_BUCKETS_SECONDS,
    registers: [registry],
  });
  // Where each connect's time went (shared/phases.ts); a phase the attempt did not have is not observed.
  const phase = new Histogram({
    name: 'wsmon_connect_phase_seconds',
    help: 'Time in each phase of a successful connect: dns, tcp, proxy, tls, upgrade, app',
    labelNames: ['endpoint', 'phase'],
    buckets: RTT_BUCKETS_SECONDS,
    registers: [registry],
  });
  // The kernel's RTT of the same socket (engine/kernel-rtt.ts): the path's share of wsmon_rtt_seconds; to="proxy" through a proxy.
  const network = new Histogram({
    name: 'wsmon_network_rtt_seconds',
    help: "The kernel's smoothed RTT of the monitored socket at each heartbeat answer: the path's share of wsmon_rtt_seconds",
    labelNames: ['endpoint', 'to'],
    buckets: RTT_BUCKETS_SECONDS,
    registers: [registry],
  });
  const forget = (endpoint: string) => {
    rtt.remove({ endpoint });
    for (const to of ['server', 'proxy']) network.remove({ endpoint, to });
    for (const label of Object.values(PHASE_LABELS)) phase.remove({ endpoint, phase: label });
  };
  perEndpoint(
    'counter',
    'wsmon_heartbeat_missed_total',
    'Heartbeats not answered within the timeout',
    null,
    one((s) => s.stats.heartbeatsMissed),
  );
  perEndpoint(
    'counter',
    'wsmon_heartbeat_answered_total',
    'Heartbeats answered within the timeout (loss = missed / (answered + missed))',
    null,
    one((s) => s.stats.heartbeatsAnswered),
  );
  perEndpoint('gauge', 'wsmon_health', `1 for the endpoint's health (shared/health.ts: ${HEALTH_STATES.join(', ')}), 0 for the others`, 'health', (s, now) => {
    const { health } = healthOf(s, now);
    return HEALTH_STATES.map((h) => [{ health: h }, h === health ? 1 : 0]);
  });
  perEndpoint(
    'gauge',
    'wsmon_slow_side',
    `1 for the side a slow RTT is on while the endpoint is degraded by it (shared/health.ts slowSide: ${SLOW_SIDES.join(', ')}), 0 for the others`,
    'side',
    (s, now) => {
      const { slow } = healthOf(s, now);
      return SLOW_SIDES.map((side) => [{ side }, side === slow ? 1 : 0]);
    },
  );
  perEndpoint(
    'gauge',
    'wsmon_stale',
    '1 while connected but its data has stopped (freshness: expected every D), else 0',
    null,
    one((s) => (s.staleSinceMono === null ? 0 : 1)),
  );
  perEndpoint(
    'gauge',
    'wsmon_down_seconds',
    'How long the current outage has lasted (0 while up, paused or never connected)',
    null,
    one((s, now) => (s.downSinceMono === null ? 0 : (now - s.downSinceMono) / 1000)),
  );
  perEndpoint(
    'counter',
    'wsmon_reconnect_attempts_total',
    'Reconnects scheduled after a disconnect or failed connect',
    null,
    one((s) => s.stats.reconnectAttempts),
  );
  perEndpoint(
    'counter',
    'wsmon_connected_seconds_total',
    'Time spent connected',
    null,
    one((s) => s.stats.connectedMs / 1000),
  );
  perEndpoint(
    'counter',
    'wsmon_disconnects_total',
    'Outages by cause (one per outage; the failed retries that follow are attempts); cause "client" is the user disconnecting',
    'cause',
    (s) => DISCONNECT_CAUSES.map((cause) => [{ cause }, s.stats.disconnects[cause]]),
  );

  monitor.on(
    (e) => {
      if (e.endpoint === undefined) return;
      if (e.type === 'endpoint-added' || e.type === 'endpoint-updated') {
        const old = names.get(e.endpoint);
        if (old !== undefined && old !== e.name) forget(old);
        names.set(e.endpoint, e.name);
      } else if (e.type === 'endpoint-removed') {
        forget(names.get(e.endpoint) ?? e.endpoint);
        names.delete(e.endpoint);
      } else if (e.type === 'open' && e.phases) {
        const endpoint = names.get(e.endpoint) ?? e.endpoint;
        for (const [key, label] of Object.entries(PHASE_LABELS) as [keyof ConnectPhases, string][]) {
          const ms = e.phases[key];
          if (ms !== null) phase.observe({ endpoint, phase: label }, ms / 1000);
        }
      }
    },
    // Answers into the histograms from their numbers: no event is built for them here.
    {
      rtt: (id, _mono, e) => {
        const endpoint = names.get(id) ?? id;
        rtt.observe({ endpoint }, e.rttMs / 1000);
        if (typeof e.networkRttMs === 'number') network.observe({ endpoint, to: e.networkTo ?? 'server' }, e.networkRttMs / 1000);
      },
    },
  );
  return registry;
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics on host:port (port 0 picks a free one). On a loopback
 * address the Host header must name loopback too, as the bridge requires: a web
 * page that rebinds its own name to 127.0.0.1 cannot read the metrics. On other
 * addresses (a probe scraped from another machine) any Host is served.
 */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<MetricsServer> {
  let bound = 0;
  const loopbackOnly = isLoopback(host);
  const server: Server = createServer((req, res) => {
    if (loopbackOnly && !hostAllowed(req.headers.host, bound)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('wrong Host header\n');
      return;
    }
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('try /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (e: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${e.message}\n`),
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  const addr = server.address() as AddressInfo;
  bound = addr.port;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shown}:${addr.port}/metrics`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
