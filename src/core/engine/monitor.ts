// Many endpoints under one session: adds, updates and removes them at
// runtime and stamps every event with the session's clock. It only emits:
// records, the session log and alerts are listeners attached by core/app.
import { APP_NAME, APP_VERSION } from '../../shared/app';
import { defaultName, needsReconnect, type EndpointConfig, type EndpointSettings } from '../../shared/config';
import { ConfigError, UnknownEndpointError } from '../../shared/errors';
import { stamp, type EventBody, type IncidentEventBody, type PauseCause, type WsmonEvent } from '../../shared/events';
import { redactFields, redactSecretShapes, redactUrl, type Redactor } from '../../shared/redact';
import { endpointRedactor } from '../../shared/endpoint-secrets';
import type { Random } from './backoff';
import { realClock, type Clock } from './clock';
import { Connection } from './connection';
import type { ResolvedConfig } from './resolved-config';
import { FileGateError, readGated } from '../files/gate';
import { clientKeyProblem } from './tls';
import { proxyFor } from '../../shared/proxy';
import type { Frame, FramesAnswer } from '../../shared/frames';
import { FRAME_PAGE_CHARS, frameView, handshakeView } from './frame-view';

export interface MonitorOptions {
  clock?: Clock;
  random?: Random;
  /** Where HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY are read (process.env by default). */
  env?: Record<string, string | undefined>;
}

interface Entry {
  config: EndpointConfig;
  connection: Connection;
  /** Every string this endpoint emits passes it: its secrets, and anything secret-shaped, masked whoever wrote the text. */
  redact: Redactor;
}

/** An endpoint's tags for its added/updated event: absent when it has none (older readers, smaller logs). */
const tagsOf = (config: EndpointConfig) => (config.tags.length ? { tags: config.tags } : {});

/** The id an endpoint gets from its name when none is given (a suffix is added on collision). */
export function idFromName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+|-+$/g, '')
      .slice(0, 56) || 'endpoint'
  );
}

/** The id a name gets, with a suffix where it is taken. */
function freshId(name: string, taken: { has(id: string): boolean }): string {
  const base = idFromName(name);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The largest file a setting may name (a PEM bundle of several hundred certificates fits). */
export const USER_FILE_MAX_BYTES = 1024 * 1024;

export type EventListener = (event: WsmonEvent) => void;
/** An RTT sample as it comes, without an event built for it: the endpoint, the session time (the event's `mono`) and the sample. */
export type RttListener = (endpoint: string, mono: number, sample: RttSample) => void;
export type RttSample = Extract<EventBody, { type: 'rtt' }>;
/**
 * How a listener takes RTT samples, the one event every answer makes: as events (the default: those that keep them,
 * the session log), as a sample (those that only fold the numbers: records, updates, metrics), or not at all.
 */
export interface ListenOptions {
  rtt?: 'event' | RttListener | false;
}
interface Subscription {
  listener: EventListener;
  rtt: 'event' | RttListener | false;
}
export type FrameListener = (endpoint: string, frame: Frame) => void;

/** How far apart endpoints started together connect (0.2 ms: 5,000 at once take a second). */
export const START_SPACING_MS = 0.2;
const START_BURST_MS = 50;

export class Monitor {
  readonly clock: Clock;
  private readonly random: Random;
  private readonly startMono: number;
  readonly startWall: number;
  private readonly entries = new Map<string, Entry>();
  /** In the order they came: the records first, so every later listener reads statuses that include the event. */
  private readonly listeners = new Set<Subscription>();
  /** Whether any listener takes RTT samples as events: if none, an answer builds no event at all. */
  private rttEvents = 0;
  private readonly frameListeners = new Set<FrameListener>();
  private started = false;
  private stopped = false;
  /** When the next endpoint started may connect (see connect). */
  private nextStartAt = -Infinity;

  private readonly env: Record<string, string | undefined>;

  constructor(options: MonitorOptions = {}) {
    this.env = options.env ?? process.env;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.startMono = this.clock.now();
    this.startWall = this.clock.wall();
  }

  /** Monotonic ms since the session started: the `mono` of an event emitted now. */
  now(): number {
    return this.clock.now() - this.startMono;
  }

  on(listener: EventListener, options: ListenOptions = {}): () => void {
    const sub: Subscription = { listener, rtt: options.rtt ?? 'event' };
    this.listeners.add(sub);
    if (sub.rtt === 'event') this.rttEvents++;
    return () => {
      if (this.listeners.delete(sub) && sub.rtt === 'event') this.rttEvents--;
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.emit({ type: 'session-start', app: APP_NAME, version: APP_VERSION });
  }

  /**
   * Adds an endpoint from settings already parsed at the edge (parseEndpoint),
   * connecting it at once unless `connect` is false; returns its settled config.
   * Throws ConfigError (a duplicate id, a file it names that cannot be used).
   */
  add(settings: EndpointSettings, connect = true): EndpointConfig {
    const [accepted] = this.accept([settings]);
    const id = this.insert(accepted!);
    if (connect) this.connect(id);
    return this.config(id);
  }

  /**
   * Adds several endpoints, all or none: every file they name is read first,
   * then all are announced (endpoint-added) before the first connects, so a
   * reader of the event stream knows the whole set up front. Returns their ids.
   */
  addAll(endpoints: EndpointSettings[], label?: (index: number) => string): string[] {
    const ids = this.accept(endpoints, label).map((r) => this.insert(r));
    for (const id of ids) this.connect(id);
    return ids;
  }

  /** Settles ids and names (unique among these and the existing ones) and reads the files named. Throws ConfigError (its messages led by `label`). */
  private accept(endpoints: EndpointSettings[], label?: (index: number) => string): { config: EndpointConfig; resolved: ResolvedConfig }[] {
    // The ids in use: the monitor's and those of this batch (not a copy of the monitor's: adding N one by one would cost N²).
    const batch = new Set<string>();
    const taken = { has: (id: string) => this.entries.has(id) || batch.has(id) };
    return endpoints.map((e, i) => {
      try {
        const config = this.named(e, taken);
        if (taken.has(config.id)) throw new ConfigError([{ path: 'id', message: `an endpoint with id "${config.id}" already exists` }]);
        batch.add(config.id);
        return { config, resolved: this.resolve(config) };
      } catch (err) {
        if (!label || !(err instanceof ConfigError)) throw err;
        throw new ConfigError(err.problems.map((p) => ({ ...p, message: `${label(i)}: ${p.message}` })));
      }
    });
  }

  /** The config is what is saved and shown; the resolved one (files read, proxy settled) is what connects. */
  private insert({ config, resolved }: { config: EndpointConfig; resolved: ResolvedConfig }): string {
    this.start();
    const entry: Entry = { config, redact: endpointRedactor(config), connection: null! };
    entry.connection = new Connection(resolved, {
      clock: this.clock,
      zero: this.startMono,
      random: this.random,
      emit: (body) => this.emitFor(entry, body),
    });
    this.entries.set(config.id, entry);
    this.tapFrames(entry);
    this.emitFor(entry, {
      type: 'endpoint-added',
      name: config.name,
      url: redactUrl(config.url),
      alerts: config.alerts,
      heartbeatMs: config.heartbeat.intervalMs,
      ...tagsOf(config),
    });
    return config.id;
  }

  /** Replaces an endpoint's settings; reconnects only if a connection setting changed. */
  update(id: string, settings: EndpointSettings): EndpointConfig {
    const entry = this.entry(id);
    const config = this.named({ ...settings, id });
    const resolved = this.resolve(config);
    const restart = needsReconnect(entry.config, config);
    entry.config = config;
    entry.redact = endpointRedactor(config);
    this.emitFor(entry, {
      type: 'endpoint-updated',
      name: config.name,
      url: redactUrl(config.url),
      alerts: config.alerts,
      heartbeatMs: config.heartbeat.intervalMs,
      ...tagsOf(config),
    });
    entry.connection.update(resolved, restart);
    return config;
  }

  async remove(id: string): Promise<void> {
    const entry = this.entry(id);
    await entry.connection.remove();
    if (!this.entries.has(id)) return;
    // Gone before anyone hears of it: a listener saving the endpoint list must not save it again.
    this.entries.delete(id);
    this.emitFor(entry, { type: 'endpoint-removed', name: entry.config.name, url: redactUrl(entry.config.url) });
  }

  /**
   * Starts an endpoint. Endpoints started together are spread START_SPACING_MS
   * apart: thousands added at once would otherwise connect, and then beat
   * every interval, in the same millisecond (a herd at the server, a burst of
   * work here that makes every heartbeat late).
   */
  connect(id: string): void {
    const now = this.clock.now();
    const at = Math.max(now, this.nextStartAt);
    this.nextStartAt = at + START_SPACING_MS;
    // The first START_BURST_MS worth (250 endpoints) start at once: only large batches are spread.
    this.entry(id).connection.start(at - now < START_BURST_MS ? 0 : at - now);
  }
  disconnect(id: string): void {
    this.entry(id).connection.stop();
  }
  pause(id: string, by: PauseCause = 'user'): void {
    this.entry(id).connection.pause(by);
  }
  resume(id: string, by: PauseCause = 'user'): void {
    this.entry(id).connection.resume(by);
  }
  reconnectNow(id: string): void {
    this.entry(id).connection.reconnectNow();
  }
  /**
   * The computer is going to sleep: heartbeats stop (paused by system-sleep)
   * rather than counting the sleep as misses. Endpoints the user paused or
   * stopped are left alone.
   */
  systemSleep(): void {
    for (const id of this.ids()) if (this.connectionOf(id).canBePausedBy()) this.pause(id, 'system-sleep');
  }
  /** Awake again: every endpoint paused by the sleep is checked at once, without consuming a backoff attempt. */
  systemWake(): void {
    for (const id of this.ids()) if (this.connectionOf(id).pausedBy === 'system-sleep') this.resume(id, 'system-sleep');
  }
  /** The OS says the network is gone: retries wait (paused by offline) instead of failing. */
  networkOffline(): void {
    for (const id of this.ids()) if (this.connectionOf(id).canBePausedBy()) this.pause(id, 'offline');
  }
  /** The network is back: endpoints paused by offline connect at once. */
  networkOnline(): void {
    for (const id of this.ids()) if (this.connectionOf(id).pausedBy === 'offline') this.resume(id, 'offline');
  }

  pauseAll(by: PauseCause = 'user'): void {
    for (const id of this.entries.keys()) this.pause(id, by);
  }
  resumeAll(by: PauseCause = 'user'): void {
    for (const id of this.entries.keys()) this.resume(id, by);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }
  /** The settled config (id and name) some settings would get, without applying them. */
  previewConfig(settings: EndpointSettings): EndpointConfig {
    return this.named(settings);
  }
  ids(): string[] {
    return [...this.entries.keys()];
  }
  config(id: string): EndpointConfig {
    return this.entry(id).config;
  }
  configs(): EndpointConfig[] {
    return [...this.entries.values()].map((e) => e.config);
  }

  /** An endpoint's frames after seq `after`, a page of at most about FRAME_PAGE_CHARS of payload, as anyone may see them (frame-view.ts). */
  frames(id: string, after = 0): FramesAnswer {
    const entry = this.entry(id);
    const log = entry.connection.frames;
    const { frames, more } = log.read(after, FRAME_PAGE_CHARS);
    const shown = frames.map((f) => frameView(f, entry.config, entry.redact));
    return {
      id,
      capture: log.capture,
      held: log.held,
      dropped: log.dropped,
      frames: shown,
      handshakes: log.handshakes(new Set(frames.map((f) => f.conn))).map((h) => handshakeView(h, entry.config, entry.redact)),
      more,
    };
  }

  /** Hears every frame of every endpoint as it is captured (as frames() shows it): `wsmon watch --frames`. */
  onFrame(listener: FrameListener): () => void {
    this.frameListeners.add(listener);
    for (const e of this.entries.values()) this.tapFrames(e);
    return () => {
      this.frameListeners.delete(listener);
      for (const e of this.entries.values()) this.tapFrames(e);
    };
  }

  /** Taps an endpoint's frame log while anyone listens; untapped, capture costs nothing more. */
  private tapFrames(entry: Entry): void {
    const log = entry.connection.frames;
    log.tap =
      this.frameListeners.size === 0
        ? null
        : (from) => {
            for (const f of log.read(from - 1, Infinity).frames) {
              const view = frameView(f, entry.config, entry.redact);
              for (const l of this.frameListeners) l(entry.config.id, view);
            }
          };
  }

  /** Closes every connection, then emits session-end. Nothing is left running afterwards. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all([...this.entries.values()].map((e) => e.connection.remove()));
    this.start();
    this.emit({ type: 'session-end', app: APP_NAME, version: APP_VERSION });
    this.listeners.clear();
    this.rttEvents = 0;
    this.frameListeners.clear();
  }

  private connectionOf(id: string): Connection {
    return this.entry(id).connection;
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new UnknownEndpointError(id);
    return e;
  }

  /** The settings with their id and name settled: given, or derived from the name (or URL) and unique among `taken`. */
  private named(settings: EndpointSettings, taken: { has(id: string): boolean } = this.entries): EndpointConfig {
    const name = settings.name || defaultName(redactUrl(settings.url));
    return { ...settings, name, id: settings.id ?? freshId(name, taken) };
  }

  /**
   * Reads the files a config names, once, as it is accepted, checks that a
   * client certificate and key work together, and settles the proxy (its own
   * setting, else the environment's). Throws ConfigError naming the setting.
   */
  private resolve(config: EndpointConfig): ResolvedConfig {
    const read = (path: 'caFile' | 'clientCert' | 'clientKey', what: string): Buffer | undefined => {
      const file = config[path];
      if (!file) return undefined;
      try {
        return readGated(file, { what, maxBytes: USER_FILE_MAX_BYTES });
      } catch (e) {
        if (e instanceof FileGateError) throw new ConfigError([{ path, message: e.message }]);
        throw e;
      }
    };
    const resolved: ResolvedConfig = { ...config, proxyUrl: proxyFor(config.url, config.proxy, this.env) };
    resolved.ca = read('caFile', 'CA file');
    resolved.cert = read('clientCert', 'client certificate');
    resolved.key = read('clientKey', 'client key');
    if (resolved.cert && resolved.key) {
      const problem = clientKeyProblem(resolved.cert, resolved.key, config.clientKeyPassphrase);
      if (problem) throw new ConfigError([{ path: 'clientKey', message: problem }]);
    }
    return resolved;
  }

  /**
   * An incident's event (core/app/incidents.ts decides them), into the same
   * stream as every other: a session event, or one endpoint's (incident-joined).
   * Its words name hosts and proxies: they pass the redactor of secret shapes.
   */
  announce(body: IncidentEventBody, endpoint?: string): void {
    const entry = endpoint === undefined ? undefined : this.entries.get(endpoint);
    if (endpoint !== undefined && !entry) return;
    this.emit(redactFields(body, entry?.redact ?? redactSecretShapes), endpoint);
  }

  /** An endpoint's event, its text through the endpoint's redactor (RTT and miss events carry none: the hot path stays bare). */
  private emitFor(entry: Entry, body: EventBody): void {
    if (body.type === 'rtt') return this.emitRtt(entry.config.id, body);
    this.emit(body.type === 'heartbeat-missed' ? body : redactFields(body, entry.redact), entry.config.id);
  }

  private emit(body: EventBody, endpoint?: string): void {
    const event = stamp(body, this.clock.wall(), this.now(), endpoint);
    for (const s of this.listeners) s.listener(event);
  }

  /** An answer: its sample to those that fold numbers, its event (built once, and only if someone keeps it) to the rest. */
  private emitRtt(endpoint: string, sample: RttSample): void {
    const mono = Math.round(this.now() * 1000) / 1000;
    const event = this.rttEvents ? stamp(sample, this.clock.wall(), mono, endpoint) : null;
    for (const s of this.listeners) {
      if (s.rtt === 'event') s.listener(event!);
      else if (s.rtt) s.rtt(endpoint, mono, sample);
    }
  }
}
