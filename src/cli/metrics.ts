// Prometheus metrics: per-endpoint series labelled with the endpoint's name,
// plus the process's own metrics (prom-client's). Counters are read from the
// engine's counters at scrape time, so they match the events exactly; RTT is
// counted sample by sample into a histogram per endpoint.
//
// The per-endpoint families are written here, not by prom-client: a slice of
// endpoints at a time, the event loop free between slices. At 10,000
// endpoints prom-client took 4-6 s a scrape to build its 900,000 lines in one
// go, and every heartbeat answer waited that long to be read — its RTT with
// it. Each endpoint's values are read at once (its series agree with each
// other); the families are then written in slices.
import { hostAllowed, isLoopback } from './loopback';
import { HEALTH_STATES, healthOf, SLOW_SIDES } from '../shared/health';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as PromClient from 'prom-client';
import { lazy } from '../core/engine/lazy';
import { DISCONNECT_CAUSES } from '../shared/events';
import { INCIDENT_SCOPES } from '../shared/incidents';
import { PHASE_LABELS, type ConnectPhases } from '../shared/phases';
import type { EndpointStatus } from '../shared/status';
import type { Monitor } from '../core/engine/monitor';
import type { Records } from '../core/record/records';

export const RTT_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// Loaded with --metrics only.
const promClient = lazy<typeof PromClient>('prom-client');

/** Endpoints read, or written, between two turns of the event loop. */
const SLICE = 250;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One series' cumulative histogram (Prometheus counts each bucket with all below it). */
class Buckets {
  readonly counts = new Float64Array(RTT_BUCKETS_SECONDS.length);
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    for (let i = RTT_BUCKETS_SECONDS.length - 1; i >= 0 && seconds <= RTT_BUCKETS_SECONDS[i]!; i--) this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }
  copy(): Buckets {
    const b = new Buckets();
    b.counts.set(this.counts);
    b.sum = this.sum;
    b.count = this.count;
    return b;
  }
}

/** An endpoint's histograms: its RTT; the network's, by whom it reaches (server, proxy); each connect phase's, by phase. */
interface Histograms {
  rtt: Map<string, Buckets>;
  network: Map<string, Buckets>;
  phase: Map<string, Buckets>;
}
const HISTOGRAMS: { key: keyof Histograms; name: string; help: string; label: string | null }[] = [
  { key: 'rtt', name: 'wsmon_rtt_seconds', help: 'Heartbeat round-trip time', label: null },
  {
    key: 'phase',
    name: 'wsmon_connect_phase_seconds',
    help: 'Time in each phase of a successful connect: dns, tcp, proxy, tls, upgrade, app',
    label: 'phase',
  },
  {
    key: 'network',
    name: 'wsmon_network_rtt_seconds',
    help: "The kernel's smoothed RTT of the monitored socket at each heartbeat answer: the path's share of wsmon_rtt_seconds",
    label: 'to',
  },
];

/** A gauge or counter per endpoint (and per value of an extra label), read from the endpoint's status at scrape time. */
interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  extra: { label: string; values: readonly string[] } | null;
  /** One value per extra label value (or one). */
  read(s: EndpointStatus, now: number, verdict: ReturnType<typeof healthOf>): number[];
}
const FAMILIES: Family[] = [
  { name: 'wsmon_up', help: '1 while the endpoint is connected, else 0', type: 'gauge', extra: null, read: (s) => [s.state === 'open' ? 1 : 0] },
  {
    name: 'wsmon_heartbeat_missed_total',
    help: 'Heartbeats not answered within the timeout',
    type: 'counter',
    extra: null,
    read: (s) => [s.stats.heartbeatsMissed],
  },
  {
    name: 'wsmon_heartbeat_answered_total',
    help: 'Heartbeats answered within the timeout (loss = missed / (answered + missed))',
    type: 'counter',
    extra: null,
    read: (s) => [s.stats.heartbeatsAnswered],
  },
  {
    name: 'wsmon_health',
    help: `1 for the endpoint's health (shared/health.ts: ${HEALTH_STATES.join(', ')}), 0 for the others`,
    type: 'gauge',
    extra: { label: 'health', values: HEALTH_STATES },
    read: (_s, _now, v) => HEALTH_STATES.map((h) => (h === v.health ? 1 : 0)),
  },
  {
    name: 'wsmon_slow_side',
    help: `1 for the side a slow RTT is on while the endpoint is degraded by it (shared/health.ts slowSide: ${SLOW_SIDES.join(', ')}), 0 for the others`,
    type: 'gauge',
    extra: { label: 'side', values: SLOW_SIDES },
    read: (_s, _now, v) => SLOW_SIDES.map((side) => (side === v.slow ? 1 : 0)),
  },
  {
    name: 'wsmon_stale',
    help: '1 while connected but its data has stopped (freshness: expected every D), else 0',
    type: 'gauge',
    extra: null,
    read: (s) => [s.staleSinceMono === null ? 0 : 1],
  },
  {
    name: 'wsmon_down_seconds',
    help: 'How long the current outage has lasted (0 while up, paused or never connected)',
    type: 'gauge',
    extra: null,
    read: (s, now) => [s.downSinceMono === null ? 0 : (now - s.downSinceMono) / 1000],
  },
  {
    name: 'wsmon_reconnect_attempts_total',
    help: 'Reconnects scheduled after a disconnect or failed connect',
    type: 'counter',
    extra: null,
    read: (s) => [s.stats.reconnectAttempts],
  },
  { name: 'wsmon_connected_seconds_total', help: 'Time spent connected', type: 'counter', extra: null, read: (s) => [s.stats.connectedMs / 1000] },
  {
    name: 'wsmon_disconnects_total',
    help: 'Outages by cause (one per outage; the failed retries that follow are attempts); cause "client" is the user disconnecting',
    type: 'counter',
    extra: { label: 'cause', values: DISCONNECT_CAUSES },
    read: (s) => DISCONNECT_CAUSES.map((cause) => s.stats.disconnects[cause]),
  },
];

/** A label value as the text format writes it. */
const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const heading = (name: string, help: string, type: string) => `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;

/** One endpoint as read for a scrape: its label and every value, taken together. */
interface Reading {
  endpoint: string;
  values: number[][];
  histograms: Record<keyof Histograms, [string, Buckets][]>;
}

export interface Metrics {
  readonly contentType: string;
  /** The exposition, part by part, each awaited (a slow reader holds the next back); the event loop turns between parts. */
  write(part: (text: string) => void | Promise<void>): Promise<void>;
  /** The exposition as one text. */
  text(): Promise<string>;
}

/** `probe`: this probe's name, a label on every series, so that one Prometheus can gather many probes. */
export function createMetrics(monitor: Monitor, records: Records, probe: string): Metrics {
  const { collectDefaultMetrics, Gauge, Registry } = promClient();
  // The process's own metrics and the session's incidents: a few dozen series, through prom-client.
  const registry = new Registry();
  registry.setDefaultLabels({ probe });
  collectDefaultMetrics({ register: registry });
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
  const probeLabel = `probe="${escapeLabel(probe)}"`;
  const histograms = new Map<string, Histograms>();
  const histogramsOf = (id: string) => {
    let h = histograms.get(id);
    if (!h) histograms.set(id, (h = { rtt: new Map(), network: new Map(), phase: new Map() }));
    return h;
  };
  const observe = (series: Map<string, Buckets>, label: string, seconds: number) => {
    let b = series.get(label);
    if (!b) series.set(label, (b = new Buckets()));
    b.observe(seconds);
  };

  monitor.on(
    (e) => {
      if (e.endpoint === undefined) return;
      // Series carry the endpoint's current name (its status's); its histograms are its own, whatever it is called.
      if (e.type === 'endpoint-removed') {
        histograms.delete(e.endpoint);
      } else if (e.type === 'open' && e.phases) {
        const h = histogramsOf(e.endpoint);
        for (const [key, label] of Object.entries(PHASE_LABELS) as [keyof ConnectPhases, string][]) {
          const ms = e.phases[key];
          if (ms !== null) observe(h.phase, label, ms / 1000);
        }
      }
    },
    // Answers into the histograms from their numbers: no event is built for them here.
    {
      rtt: (id, _mono, e) => {
        const h = histogramsOf(id);
        observe(h.rtt, '', e.rttMs / 1000);
        if (typeof e.networkRttMs === 'number') observe(h.network, e.networkTo ?? 'server', e.networkRttMs / 1000);
      },
    },
  );

  /** Every endpoint read, a slice at a time: each endpoint's series agree with each other. */
  async function read(): Promise<Reading[]> {
    const ids = records.ids();
    const out: Reading[] = [];
    for (let at = 0; at < ids.length; at += SLICE) {
      if (at > 0) await nextTurn();
      const now = records.now();
      for (const id of ids.slice(at, at + SLICE)) {
        if (!records.has(id)) continue; // removed while the scrape waited
        const status = records.status(id);
        const verdict = healthOf(status, now);
        const h = histograms.get(id);
        const copy = (m: Map<string, Buckets> | undefined) => [...(m ?? [])].map(([label, b]): [string, Buckets] => [label, b.copy()]);
        out.push({
          endpoint: `endpoint="${escapeLabel(status.name)}"`,
          values: FAMILIES.map((f) => f.read(status, now, verdict)),
          histograms: { rtt: copy(h?.rtt), network: copy(h?.network), phase: copy(h?.phase) },
        });
      }
    }
    return out;
  }

  async function write(part: (text: string) => void | Promise<void>): Promise<void> {
    await part(await registry.metrics());
    const readings = await read();
    const slices = async (family: string, line: (r: Reading) => string) => {
      let text = family;
      for (let at = 0; at < readings.length; at += SLICE) {
        for (const r of readings.slice(at, at + SLICE)) text += line(r);
        await part(text);
        text = '';
        await nextTurn();
      }
      if (text) await part(text);
    };
    for (const [i, f] of FAMILIES.entries())
      await slices(heading(f.name, f.help, f.type), (r) =>
        r.values[i]!.map((v, k) => `${f.name}{${r.endpoint}${f.extra ? `,${f.extra.label}="${f.extra.values[k]}"` : ''},${probeLabel}} ${v}\n`).join(''),
      );
    for (const hist of HISTOGRAMS)
      await slices(heading(hist.name, hist.help, 'histogram'), (r) =>
        r.histograms[hist.key]
          .map(([label, b]) => {
            const labels = `${r.endpoint}${hist.label ? `,${hist.label}="${escapeLabel(label)}"` : ''},${probeLabel}`;
            const buckets = RTT_BUCKETS_SECONDS.map((le, k) => `${hist.name}_bucket{le="${le}",${labels}} ${b.counts[k]}\n`).join('');
            return `${buckets}${hist.name}_bucket{le="+Inf",${labels}} ${b.count}\n${hist.name}_sum{${labels}} ${b.sum}\n${hist.name}_count{${labels}} ${b.count}\n`;
          })
          .join(''),
      );
  }

  return {
    contentType: registry.contentType,
    write,
    async text() {
      const parts: string[] = [];
      await write((t) => void parts.push(t));
      return parts.join('');
    },
  };
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
export async function serveMetrics(metrics: Metrics, host: string, port: number): Promise<MetricsServer> {
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
    // Written as it is made: a part at a time, the next once the client has taken the last (a slow reader holds no more).
    res.writeHead(200, { 'Content-Type': metrics.contentType });
    metrics
      .write((text) => {
        if (res.destroyed) throw new Error('the client went away');
        if (res.write(text)) return;
        return new Promise<void>((resolve) => {
          const go = () => {
            res.off('drain', go).off('close', go);
            resolve();
          };
          res.on('drain', go).on('close', go);
        });
      })
      .then(
        () => res.end(),
        () => res.destroy(),
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
