// Runs a monitoring session for a CLI command: shows events (as lines, JSON
// or a live table), appends them to a log, serves metrics, and ends cleanly on
// Ctrl-C, SIGTERM or after --duration.
import type { WsmonEvent } from '../shared/events';
import { Monitor } from '../core/engine/monitor';
import { SessionLogWriter } from '../core/log/session-log';
import { durationFlag, hostPortFlag, UsageError } from './args';
import { rttThinner } from '../core/log/thinning';
import { RTT_LOGGING, type RttLogging } from '../shared/settings';
import { formatEvent } from './format';
import { createMetrics, serveMetrics, type MetricsServer } from './metrics';
import { startLiveTable } from './table';

/** lines: a readable line per event · json: one JSON event per line · table: a live table · none: print nothing. */
export type View = 'lines' | 'json' | 'table' | 'none';

export interface SessionOptions {
  view: View;
  log?: string;
  /** How the log keeps RTT events: all, or a summary per endpoint per minute. */
  logRtt?: RttLogging;
  durationMs?: number;
  metrics?: { host: string; port: number };
}

export interface Session {
  monitor: Monitor;
  /** Resolves after session-end has been written everywhere. */
  done: Promise<void>;
  end(): Promise<void>;
}

/** Session options from the shared flags (--log, --duration, --metrics). */
export function sessionFlags(values: { log?: string; 'log-rtt'?: string; duration?: string; metrics?: string }, view: View): SessionOptions {
  const logRtt = values['log-rtt'] ?? 'all';
  if (!(RTT_LOGGING as readonly string[]).includes(logRtt)) throw new UsageError(`--log-rtt must be one of ${RTT_LOGGING.join(', ')} (got "${logRtt}")`);
  return {
    view,
    log: values.log,
    logRtt: logRtt as RttLogging,
    durationMs: values.duration !== undefined ? durationFlag('--duration', values.duration) : undefined,
    metrics: values.metrics !== undefined ? hostPortFlag('--metrics', values.metrics) : undefined,
  };
}

/** The view a command gets by default: JSON when asked, a live table on a terminal, else lines. */
export function defaultView(json: boolean | undefined): View {
  return json ? 'json' : process.stdout.isTTY ? 'table' : 'lines';
}

export async function startSession(opts: SessionOptions, monitor = new Monitor()): Promise<Session> {
  const log = opts.log ? new SessionLogWriter(opts.log) : null;
  const thin = rttThinner(opts.logRtt ?? 'all');
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const names = new Map<string, string>();
  let view = opts.view;
  // A reader that goes away (`wsmon watch --json | head`) ends the session instead of crashing it.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    view = 'none';
    if (e.code === 'EPIPE') void end();
  });
  monitor.on((e: WsmonEvent) => {
    if (e.type === 'endpoint-added' || e.type === 'endpoint-updated') names.set(e.endpoint!, e.name);
    if (log) for (const line of thin(e)) log.write(line);
    if (view === 'json') process.stdout.write(`${JSON.stringify(e)}\n`);
    else if (view === 'lines') process.stdout.write(`${formatEvent(e, names, colour)}\n`);
  });
  let metrics: MetricsServer | null = null;
  if (opts.metrics) {
    metrics = await serveMetrics(createMetrics(monitor), opts.metrics.host, opts.metrics.port);
    process.stderr.write(`wsmon metrics: ${metrics.url}\n`);
  }
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let ending: Promise<void> | null = null;
  const end = () =>
    (ending ??= (async () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stopTable?.();
      await monitor.stop();
      log?.close();
      await metrics?.close();
      resolveDone();
    })());
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(130); // a second Ctrl-C means "now"
    void end();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const timer = opts.durationMs !== undefined ? setTimeout(() => void end(), opts.durationMs) : null;
  monitor.start();
  const stopTable = view === 'table' ? startLiveTable(monitor) : null;
  return { monitor, done, end };
}
