// The event vocabulary. The engine emits these, the session log stores them
// one per line, `wsmon watch --json` prints them, the screens read them.

import type { IncidentScope } from './incidents';
import type { ConnectPhases, PhaseName } from './phases';

/** The alert thresholds an endpoint is judged by (shared/config.ts alertsSchema). */
export interface AlertThresholds {
  rttMs: number;
  loss: number;
  downAfterMs: number;
}

/** Bump when a field changes meaning or disappears; adding a field does not. */
export const EVENT_FORMAT_VERSION = 1;

export type CloseInitiator = 'server' | 'client' | 'heartbeat';
export type ErrorPhase = 'connect' | 'handshake' | 'open';
export type PauseCause = 'user' | 'system-sleep' | 'offline';

/** The type-specific part of each event; the envelope is added by `stamp`. */
export type EventBody =
  | { type: 'session-start'; app: string; version: string }
  | { type: 'session-end'; app: string; version: string }
  /** `alerts`: the thresholds the endpoint's health is judged by (absent in logs written before they were recorded). */
  /** `heartbeatMs`: its heartbeat interval (passive: the traffic period expected); absent in logs written before it was recorded. */
  | { type: 'endpoint-added'; name: string; url: string; alerts?: AlertThresholds; tags?: string[]; heartbeatMs?: number }
  | { type: 'endpoint-updated'; name: string; url: string; alerts?: AlertThresholds; tags?: string[]; heartbeatMs?: number }
  | { type: 'endpoint-removed'; name: string; url: string }
  | { type: 'connecting'; attempt: number }
  | {
      type: 'open';
      attempt: number;
      /** From the start of the attempt: DNS, TCP, the proxy hop, TLS, the upgrade and any application handshake. */
      handshakeMs: number;
      /** handshakeMs phase by phase (they add up to it); absent in logs written before phases were timed. */
      phases?: ConnectPhases;
      protocol: string;
      /** The proxy the connection went through (credentials masked); absent when direct. */
      proxy?: string;
      /** The server's IP address the socket reached (absent through a proxy, and in logs written before it was recorded). */
      address?: string;
      /** The application protocol spoken on top (socketio, mqtt …), whose handshake handshakeMs includes. */
      appProtocol?: string;
      /** What that handshake (or the ack rule) settled, in words. */
      negotiated?: string;
    }
  | {
      type: 'rtt';
      seq: number;
      rttMs: number;
      via: 'ping' | 'message';
      /** The answer came after its beat had been counted missed: a real RTT, and the miss stands. */
      late?: true;
      /**
       * The kernel's smoothed RTT (and its variation) of the same TCP socket when the answer came: the path's
       * share of rttMs, the rest is the server's. Null where it cannot be read; absent when not sampled
       * (networkRtt off, logs written before it was). Through a proxy it is the hop to the proxy (networkTo).
       */
      networkRttMs?: number | null;
      networkRttVarMs?: number | null;
      networkTo?: 'proxy';
      /** Only in a thinned session log: this line summarises `samples` heartbeats (rttMs and networkRttMs are their means). */
      samples?: number;
      minMs?: number;
      maxMs?: number;
    }
  | {
      type: 'heartbeat-missed';
      seq: number;
      /** Misses in a row. */
      missed: number;
      /** Passive mode: no traffic past the deadline (no beat was sent, so this is no loss). */
      silence?: true;
    }
  /** Connected, but no (matching) data for `silentMs`, where data is expected every `expectedMs`. */
  | { type: 'stale'; expectedMs: number; silentMs: number }
  /** Data again after `silentMs` of silence. */
  | { type: 'fresh'; silentMs: number }
  | { type: 'close'; code: number; reason: string; wasClean: boolean; initiator: CloseInitiator; uptimeMs: number }
  | {
      type: 'error';
      phase: ErrorPhase;
      code: string;
      message: string;
      /** A failed attempt: the connect phase it failed in and how long it had been in it (shared/phases.ts). */
      inPhase?: PhaseName;
      phaseMs?: number;
    }
  | { type: 'reconnect-scheduled'; attempt: number; delayMs: number }
  | { type: 'gave-up'; attempts: number }
  | { type: 'stopped'; by: 'user' }
  | { type: 'paused'; by: PauseCause }
  | { type: 'resumed'; by: PauseCause }
  /**
   * Endpoints that share a scope went down together (shared/incidents.ts): one outage. A session event.
   * `sinceMono`: when the first of them went down (the incident's start); `endpoints`: the first
   * INCIDENT_LISTED of the `count` members (each member also gets an incident-joined).
   */
  | { type: 'incident-start'; incident: string; scope: IncidentScope; key: string; cause: string; count: number; endpoints: string[]; sinceMono: number }
  /** This endpoint is part of the incident (at its start, or went down later within its scope). */
  | { type: 'incident-joined'; incident: string }
  /** Every member is back (or paused, or removed). `durationMs` from the incident's start; `count`: members in all. */
  | { type: 'incident-end'; incident: string; durationMs: number; count: number };

export type EventType = EventBody['type'];
/** The incident events (core/app/incidents.ts), which the monitor announces for the session. */
export type IncidentEventBody = Extract<EventBody, { type: 'incident-start' | 'incident-joined' | 'incident-end' }>;

interface Envelope {
  /** Format version. */
  v: number;
  /** Wall-clock time, ISO-8601 UTC. */
  ts: string;
  /** Monotonic milliseconds since the session started. */
  mono: number;
  /** Endpoint id; absent on session events. */
  endpoint?: string;
}

export type WsmonEvent = Envelope & EventBody;
export type EventOf<T extends EventType> = Envelope & Extract<EventBody, { type: T }>;

export const EVENT_TYPES = [
  'session-start',
  'session-end',
  'endpoint-added',
  'endpoint-updated',
  'endpoint-removed',
  'connecting',
  'open',
  'rtt',
  'heartbeat-missed',
  'stale',
  'fresh',
  'close',
  'error',
  'reconnect-scheduled',
  'gave-up',
  'stopped',
  'paused',
  'resumed',
  'incident-start',
  'incident-joined',
  'incident-end',
] as const satisfies readonly EventType[];
// Fails to compile when a type is added to EventBody but not listed above.
const everyTypeListed: Exclude<EventType, (typeof EVENT_TYPES)[number]> extends never ? true : false = true;
void everyTypeListed;

// The ISO text of the current second, formatted once: thousands of events a second share it (bench/scale profile).
let isoSecond = NaN;
let isoPrefix = '';

/** `new Date(wallMs).toISOString()`, formatting the date and time only when the second changes. */
export function isoTime(wallMs: number): string {
  const ms = Math.floor(wallMs);
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, -4); // "YYYY-MM-DDTHH:MM:SS."
  }
  const frac = ms - second * 1000;
  return `${isoPrefix}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}

/** Puts the envelope fields first, so log lines read left to right. */
export function stamp(body: EventBody, wallMs: number, monoMs: number, endpoint?: string): WsmonEvent {
  const env: Envelope = { v: EVENT_FORMAT_VERSION, ts: isoTime(wallMs), mono: Math.round(monoMs * 1000) / 1000 };
  if (endpoint !== undefined) env.endpoint = endpoint;
  // Object.assign, not spread: every event type has its own shape, and a spread of many shapes runs ~4x slower (bench/scale profile).
  return Object.assign(env, body) as WsmonEvent;
}

/** Why a connection went away, for charts and counters. */
export type DisconnectCause = 'server-close' | 'heartbeat' | 'network' | 'handshake' | 'client';

export const DISCONNECT_CAUSES: readonly DisconnectCause[] = ['server-close', 'heartbeat', 'network', 'handshake', 'client'];

/** Classifies a `close` or a failed connect (`error` in connect/handshake phase). */
export function disconnectCause(e: WsmonEvent): DisconnectCause | null {
  if (e.type === 'close') {
    if (e.initiator === 'heartbeat') return 'heartbeat';
    if (e.initiator === 'client') return 'client';
    return e.code === 1006 ? 'network' : 'server-close';
  }
  if (e.type === 'error' && e.phase !== 'open') return e.phase === 'handshake' ? 'handshake' : 'network';
  return null;
}

/**
 * Folds one event into "is the endpoint down?" and says which disconnect, if
 * any, it starts. One outage is one disconnect: the failed retries that follow
 * it are reconnect attempts, not more disconnects. The user's own closes count
 * as `client` and do not start an outage.
 */
export function outageStep(e: WsmonEvent, down: boolean): { cause: DisconnectCause | null; down: boolean } {
  if (e.type === 'open') return { cause: null, down: false };
  const cause = disconnectCause(e);
  if (!cause) return { cause: null, down };
  if (cause === 'client') return { cause, down };
  if (e.type === 'error' && down) return { cause: null, down };
  return { cause, down: true };
}
