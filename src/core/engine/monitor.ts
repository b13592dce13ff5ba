// Many endpoints under one session: adds, updates and removes them at
// runtime and stamps every event with the session's clock. It only emits:
// records, the session log and alerts are listeners attached by core/app.
import { APP_NAME, APP_VERSION } from '../../shared/app';
import { defaultName, needsReconnect, validateEndpoint, type EndpointConfig, type EndpointConfigInput } from '../../shared/config';
import { ConfigError, UnknownEndpointError } from '../../shared/errors';
import { stamp, type EventBody, type PauseCause, type WsmonEvent } from '../../shared/events';
import { redactUrl } from '../../shared/redact';
import type { Random } from './backoff';
import { realClock, type Clock } from './clock';
import { Connection } from './connection';

export interface MonitorOptions {
  clock?: Clock;
  random?: Random;
}

interface Entry {
  config: EndpointConfig;
  connection: Connection;
}

/** The id an endpoint gets from its name when none is given (a suffix is added on collision). */
export function idFromName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|-+$/g, '').slice(0, 56) || 'endpoint';
}

export type EventListener = (event: WsmonEvent) => void;

export class Monitor {
  readonly clock: Clock;
  private readonly random: Random;
  private readonly startMono: number;
  readonly startWall: number;
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<EventListener>();
  private started = false;
  private stopped = false;

  constructor(options: MonitorOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.startMono = this.clock.now();
    this.startWall = this.clock.wall();
  }

  /** Monotonic ms since the session started: the `mono` of an event emitted now. */
  now(): number {
    return this.clock.now() - this.startMono;
  }

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.emit({ type: 'session-start', app: APP_NAME, version: APP_VERSION });
  }

  /** Validates and adds an endpoint, connecting it at once unless `connect` is false; returns its settled config. Throws ConfigError. */
  add(input: EndpointConfigInput, connect = true): EndpointConfig {
    this.start();
    const config = this.settle(input);
    if (this.entries.has(config.id)) throw new ConfigError([{ path: 'id', message: `an endpoint with id "${config.id}" already exists` }]);
    const connection = new Connection(config, {
      clock: this.clock,
      random: this.random,
      emit: (body) => this.emit(body, config.id),
    });
    this.entries.set(config.id, { config, connection });
    this.emit({ type: 'endpoint-added', name: config.name, url: redactUrl(config.url) }, config.id);
    if (connect) connection.start();
    return config;
  }

  /** Replaces an endpoint's settings; reconnects only if a connection setting changed. */
  update(id: string, input: EndpointConfigInput): EndpointConfig {
    const entry = this.entry(id);
    const config = this.settle({ ...input, id });
    const restart = needsReconnect(entry.config, config);
    entry.config = config;
    this.emit({ type: 'endpoint-updated', name: config.name, url: redactUrl(config.url) }, id);
    entry.connection.update(config, restart);
    return config;
  }

  async remove(id: string): Promise<void> {
    const entry = this.entry(id);
    await entry.connection.remove();
    if (!this.entries.has(id)) return;
    // Gone before anyone hears of it: a listener saving the endpoint list must not save it again.
    this.entries.delete(id);
    this.emit({ type: 'endpoint-removed', name: entry.config.name, url: redactUrl(entry.config.url) }, id);
  }

  connect(id: string): void {
    this.entry(id).connection.start();
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
  /** The settled config an input would get, without applying it. Throws ConfigError. */
  previewConfig(input: EndpointConfigInput): EndpointConfig {
    return this.settle(input);
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

  /** Closes every connection, then emits session-end. Nothing is left running afterwards. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all([...this.entries.values()].map((e) => e.connection.remove()));
    this.start();
    this.emit({ type: 'session-end', app: APP_NAME, version: APP_VERSION });
    this.listeners.clear();
  }

  private connectionOf(id: string): Connection {
    return this.entry(id).connection;
  }

  private entry(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new UnknownEndpointError(id);
    return e;
  }

  private settle(input: EndpointConfigInput): EndpointConfig {
    const r = validateEndpoint(input);
    if (!r.ok) throw new ConfigError(r.problems);
    const name = r.value.name || defaultName(redactUrl(r.value.url));
    return { ...r.value, name, id: r.value.id ?? this.freshId(name) };
  }

  private freshId(name: string): string {
    const base = idFromName(name);
    let id = base;
    for (let n = 2; this.entries.has(id); n++) id = `${base}-${n}`;
    return id;
  }

  private emit(body: EventBody, endpoint?: string): void {
    const event = stamp(body, this.clock.wall(), this.now(), endpoint);
    for (const l of this.listeners) l(event);
  }
}
