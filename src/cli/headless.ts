// The headless face of a session (watch, run, demo, web): shows events (as
// lines, JSON or a live table), serves metrics, and ends cleanly on Ctrl-C,
// SIGTERM or after --duration. The session itself (monitor, records, log,
// alerts, a data folder) is core/app's.
import type { WsmonEvent } from '../shared/events';
import type { EndpointConfigInput, EndpointSettings } from '../shared/config';
import { ConfigError, UsageError } from '../shared/errors';
import { addSecretNames, redactUrl } from '../shared/redact';
import { hostname } from 'node:os';
import { jsonLine } from '../shared/printable';
import { Session } from '../core/app/session';
import { kernelRtt } from '../core/engine/kernel-rtt';
import { channelFlags, durationFlag, historyDaysFlag, hostPortFlag, usageFromProblems } from './args';
import type { Channel } from '../shared/settings/channels';
import { RTT_LOGGING, type HistoryDays, type RttLogging, type SettingKey } from '../shared/settings/app';
import { formatEvent, formatFrame } from './format';
import { checkReplaceable, writeAtomic } from '../core/files/gate';
import { frameFormatOfPath, framesFile, gatherFrames } from '../shared/frames-export';
import { createMetrics, serveMetrics, type MetricsServer } from './metrics';
import { startLiveTable } from './table';

/** lines: a readable line per event · json: one JSON event per line · table: a live table · none: print nothing. */
export type View = 'lines' | 'json' | 'table' | 'none';

export interface HeadlessOptions {
  view: View;
  log?: string;
  /** How the log keeps RTT events: all, or a summary per endpoint per minute. */
  logRtt?: RttLogging;
  /** How far back each endpoint's history reaches (--history-days). */
  historyDays?: HistoryDays;
  durationMs?: number;
  metrics?: { host: string; port: number };
  /** This probe's name on every metric series (--probe, or `probe` in a config file); the host name by default. */
  probe?: string;
  /** Print every frame as it is captured (--frames), with the events. */
  frames?: boolean;
  /** Write every endpoint's frames to this file at the end (--frames-out): HAR for .har, else JSON lines. */
  framesOut?: string;
  /** Query parameter names to treat as secrets beyond the built-in ones (--secret-name). */
  secretNames?: string[];
  /** Alert channels (--channel, a config file's `channels`). */
  channels?: Channel[];
  /** Endpoints to monitor from the start (a file one names that cannot be used is a usage error, before anything is shown). */
  endpoints?: EndpointSettings[];
  /** A data folder (wsmon web --data): endpoints, settings and logs kept there. */
  dataDir?: string;
  demo?: () => Promise<EndpointConfigInput[]>;
  applies?: SettingKey[];
}

export interface Headless {
  session: Session;
  /** Says a line that must stay in sight: above the live table on a terminal, else once on stderr. */
  /** `key`: a later line of the same key replaces it above the table (a channel's state). */
  announce(line: string, key?: string): void;
  /** Resolves after session-end has been written everywhere. */
  done: Promise<void>;
  end(): Promise<void>;
}

/** Options from the shared flags (--log, --log-rtt, --history-days, --duration, --metrics). */
export function sessionFlags(
  values: {
    log?: string;
    'log-rtt'?: string;
    'history-days'?: string;
    duration?: string;
    metrics?: string;
    probe?: string;
    'secret-name'?: string[];
    frames?: boolean;
    'frames-out'?: string;
    channel?: string[];
  },
  view: View,
  fileChannels: Channel[] = [],
): HeadlessOptions {
  const framesOut = values['frames-out'];
  if (framesOut !== undefined) {
    try {
      checkReplaceable(framesOut, 'frames file');
    } catch (e) {
      throw new UsageError(`--frames-out: ${(e as Error).message}`);
    }
  }
  const logRtt = values['log-rtt'] ?? 'all';
  if (!(RTT_LOGGING as readonly string[]).includes(logRtt)) throw new UsageError(`--log-rtt must be one of ${RTT_LOGGING.join(', ')} (got "${logRtt}")`);
  return {
    // Frames are lines: the live table has no room for them.
    view: values.frames && view === 'table' ? 'lines' : view,
    frames: values.frames,
    framesOut,
    log: values.log,
    logRtt: logRtt as RttLogging,
    historyDays: historyDaysFlag(values['history-days']),
    durationMs: values.duration !== undefined ? durationFlag('--duration', values.duration) : undefined,
    metrics: values.metrics !== undefined ? hostPortFlag('--metrics', values.metrics) : undefined,
    secretNames: values['secret-name'],
    channels: [...fileChannels, ...channelFlags(values.channel)],
    ...(values.probe !== undefined ? { probe: probeFlag(values.probe) } : {}),
  };
}

/** The view a command gets: JSON when asked, the event lines when asked or not on a terminal, else the live table. */
export function defaultView(values: { json?: boolean; lines?: boolean }): View {
  return values.json ? 'json' : values.lines || !process.stdout.isTTY ? 'lines' : 'table';
}

export async function startHeadless(opts: HeadlessOptions): Promise<Headless> {
  // Before any endpoint is named: ids and names derive from the redacted URL.
  addSecretNames(opts.secretNames ?? []);
  const session = new Session({
    logPath: opts.log,
    logRtt: opts.logRtt,
    historyDays: opts.historyDays,
    dataDir: opts.dataDir,
    demo: opts.demo,
    applies: opts.applies,
    channels: opts.channels,
  });
  const { monitor, records } = session;
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const names = new Map<string, string>();
  let view = opts.view;
  // A reader that goes away (`wsmon watch --json | head`): nothing more is written; cli/index.ts ends the session.
  process.stdout.on('error', () => (view = 'none'));
  // With frames, an event is printed a microtask later: frames are heard once their handling is done (a pong is
  // marked as the heartbeat's after it settled a beat), and the event it caused must not come before it.
  const print = opts.frames ? (line: string) => queueMicrotask(() => process.stdout.write(line)) : (line: string) => void process.stdout.write(line);
  // Said once, at the first answer that could not carry the kernel's RTT because this machine cannot give it.
  let networkRttSaid = false;
  monitor.on((e: WsmonEvent) => {
    if (e.type === 'endpoint-added' || e.type === 'endpoint-updated') names.set(e.endpoint!, e.name);
    if (e.type === 'rtt' && e.networkRttMs === null && !networkRttSaid) {
      const why = kernelRtt().unavailable;
      networkRttSaid = why !== null;
      if (why) announce(`wsmon: ${why}; every network RTT is null`);
    }
    if (view === 'json') print(`${jsonLine(e)}\n`);
    else if (view === 'lines') print(`${formatEvent(e, names, colour)}\n`);
  });
  if (opts.frames)
    monitor.onFrame((id, f) => {
      if (view === 'json') process.stdout.write(`${jsonLine({ endpoint: id, frame: f })}\n`);
      else if (view === 'lines') process.stdout.write(`${formatFrame(f, names.get(id) ?? id, colour)}\n`);
    });
  // Listening before the first endpoint is announced, so every series carries its endpoint's name.
  const registry = opts.metrics ? createMetrics(monitor, records, opts.probe ?? hostname()) : null;
  try {
    monitor.addAll(opts.endpoints ?? []);
  } catch (e) {
    throw e instanceof ConfigError ? usageFromProblems(e.problems) : e;
  }
  let metrics: MetricsServer | null = null;
  if (opts.metrics && registry) {
    metrics = await serveMetrics(registry, opts.metrics.host, opts.metrics.port);
  }
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let ending: Promise<void> | null = null;
  let stopTable: (() => void) | null = null;
  let announce = (line: string, _key?: string) => void process.stderr.write(`${line}\n`);
  const end = () =>
    (ending ??= (async () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stopTable?.();
      await session.stop();
      // After the stop: the close frames are in.
      if (opts.framesOut) await writeFrames(session, opts.framesOut);
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
  await session.start();
  const table = view === 'table' ? startLiveTable(records) : null;
  stopTable = () => table?.stop();
  // Above the table, a line per key: a channel's state replaces its last one, so the banner never grows with changes.
  const announced = new Map<string, string>();
  announce = (line: string, key = line) => {
    if (table) table.banner([...announced.set(key, line).values()]);
    else process.stderr.write(`${line}\n`);
  };
  if (metrics) announce(`wsmon metrics: ${metrics.url}`);
  // A channel that starts failing, or gets through again after failing, is said once per change.
  const channelSaid = new Map<number, string>();
  session.onChannels((list) => {
    for (const c of list) {
      const state = c.state === 'failing' ? `failing: ${c.lastError}` : c.state;
      if (channelSaid.get(c.index) === state || (state !== channelSaid.get(c.index) && c.state !== 'failing' && !channelSaid.has(c.index))) continue;
      channelSaid.set(c.index, state);
      const retry = c.retryAt ? ` (retrying at ${c.retryAt.slice(11, 19)} UTC)` : '';
      announce(`wsmon: channel ${c.name} ${c.state === 'failing' ? `${state}${retry}` : 'delivers again'}`, `channel ${c.index}`);
    }
  });
  return { session, done, end, announce };
}

/** A probe name is a Prometheus label value: any text, but one line of sane length. */
function probeFlag(name: string): string {
  if (!/^[^\x00-\x1f]{1,64}$/.test(name)) throw new UsageError(`--probe takes a name of 1 to 64 characters on one line (got "${name}")`);
  return name;
}

/** Every endpoint's frames into one file (--frames-out), said on stderr; a failure is said too, and the exit code says it. */
async function writeFrames(session: Session, path: string): Promise<void> {
  const { monitor } = session;
  try {
    const sets = await Promise.all(
      monitor.ids().map(async (id) => {
        const { frames, handshakes } = await gatherFrames((after) => monitor.frames(id, after));
        return { endpoint: id, url: redactUrl(monitor.config(id).url), frames, handshakes };
      }),
    );
    writeAtomic(path, framesFile(frameFormatOfPath(path), sets), 'frames file');
    const count = sets.reduce((n, s) => n + s.frames.length, 0);
    process.stderr.write(`wsmon: wrote ${count} frames of ${sets.length} endpoint${sets.length === 1 ? '' : 's'} to ${path}\n`);
  } catch (e) {
    process.stderr.write(`wsmon: could not write the frames: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
