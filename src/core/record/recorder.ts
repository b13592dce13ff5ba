// Folds one endpoint's events into what a screen shows: state, statistics,
// history and recent events. Works the same on a live stream and on a
// session log read back from disk.
import { DEFAULTS } from '../../shared/config';
import { FLAPPING, healthOf } from '../../shared/health';
import type { ListItem } from '../../shared/list-query';
import { failureWords } from '../../shared/describe';
import { disconnectCause, outageStep, type AlertThresholds, type EventBody, type EventOf, type WsmonEvent } from '../../shared/events';
import { closeCodeText } from '../engine/errors';
import { OUTAGES_KEPT, type BeatTick, type ConnState, type EndpointStatus, type LastError, type NetworkReading } from '../../shared/status';
import { INCIDENTS_PER_ENDPOINT } from '../../shared/incidents';
import { UPTIME_SPANS, type UptimeSpan } from '../../shared/series';
import { History, type HistoryLimits, type HistoryState, DEFAULT_LIMITS, sameLimits } from './history';
import { BeatRing } from './beats';
import { RecentEvents, type EventsPool } from './recent-events';
import { EndpointCounters } from './stats';
import { StateTimeline, type TimelineState } from './timeline';

type RttBody = Extract<EventBody, { type: 'rtt' }>;

export class EndpointRecorder {
  name = '';
  url = '';
  state: ConnState = 'idle';
  private pausedBy: EndpointStatus['pausedBy'] = null;
  private attempt = 0;
  private retryAtMono: number | null = null;
  private sinceMono = 0;
  private protocol = '';
  private appProtocol: string | null = null;
  private negotiated: string | null = null;
  private lastError: LastError | null = null;
  private lastCause: string | null = null;
  readonly counters = new EndpointCounters();
  history: History;
  private readonly recent: RecentEvents;
  timeline = new StateTimeline();
  /** Between an unrequested disconnect (or failed connect) and the next open. */
  private down = false;
  private downSinceMono: number | null = null;
  private staleSinceMono: number | null = null;
  private readonly outageStartsMono: number[] = [];
  /** The last heartbeat outcomes, with the beat number each answers (a late answer turns its miss into "late"). */
  private readonly beats = new BeatRing();
  /** What ended the current attempt or connection first, in words (for the heartbeat bar's "down" tick). */
  private failure: string | null = null;
  /**
   * The words of the last failure, kept across attempts: an endpoint refused the same way at every attempt holds
   * one copy of them for all its "down" ticks (30 of about 150 bytes each, for every endpoint of a fleet that is down).
   */
  private lastFailure: string | null = null;
  private alerts: AlertThresholds = DEFAULTS.alerts;
  private tags: string[] = [];
  private heartbeatMs: number | null = null;
  /** The kernel's last RTT reading of the open socket (NaN: none), as numbers: an answer carries one, and an object each was garbage at the next. */
  private netRttMs = NaN;
  private netRttVarMs: number | null = null;
  private netToProxy = false;
  private removedFlag = false;
  /** The open incident it is part of, while it is down; and the last incidents it was part of (oldest first). */
  private incident: string | null = null;
  readonly incidents: string[] = [];
  /** When its last event happened (null: none yet): where a log read back stops knowing about it. */
  private lastT: number | null = null;

  constructor(
    readonly id: string,
    limits: HistoryLimits = DEFAULT_LIMITS,
    events?: EventsPool,
  ) {
    this.history = new History(limits);
    this.recent = new RecentEvents(undefined, undefined, events, id);
  }

  /** The endpoint is gone: its recent events' storage goes back to their pool. */
  release(): void {
    this.recent.release();
  }

  apply(e: WsmonEvent): void {
    const t = e.mono;
    this.lastT = t;
    const step = outageStep(e, this.down);
    if (step.down !== this.down) {
      this.downSinceMono = step.down ? t : null;
      if (step.down) {
        this.outageStartsMono.push(t);
        // Only the flapping window's starts matter: older ones go, and at most OUTAGES_KEPT stay.
        while (this.outageStartsMono.length > OUTAGES_KEPT || t - this.outageStartsMono[0]! > FLAPPING.withinMs) this.outageStartsMono.shift();
      }
    }
    this.down = step.down;
    if (!this.down || e.type === 'paused' || e.type === 'stopped') this.incident = null;
    if (e.type !== 'rtt') this.recent.push(e);
    switch (e.type) {
      case 'endpoint-added':
      case 'endpoint-updated':
        this.name = e.name;
        this.tags = e.tags ?? [];
        this.heartbeatMs = e.heartbeatMs ?? null;
        if (e.alerts) this.alerts = e.alerts;
        this.url = e.url;
        break;
      case 'endpoint-removed':
        this.removedFlag = true;
        this.setState(t, 'stopped');
        break;
      case 'connecting':
        this.failure = null;
        this.attempt = e.attempt;
        this.retryAtMono = null;
        this.setState(t, 'connecting');
        break;
      case 'open':
        this.counters.connects++;
        if (e.phases) this.counters.phases.add(e.phases);
        this.protocol = e.protocol;
        this.appProtocol = e.appProtocol ?? null;
        this.negotiated = e.negotiated ?? null;
        // A new socket: its path is measured afresh.
        this.netRttMs = NaN;
        this.setState(t, 'open');
        break;
      case 'rtt':
        this.fold(t, e);
        break;
      case 'stale':
        this.staleSinceMono = t - e.silentMs;
        break;
      case 'fresh':
        this.staleSinceMono = null;
        break;
      case 'heartbeat-missed':
        if (e.silence) this.counters.silences++;
        else this.counters.heartbeatsMissed++;
        this.history.addMiss(t);
        this.beat('missed', t, { seq: e.seq, why: e.silence ? 'silence: nothing heard from the peer in time' : undefined });
        break;
      case 'close':
      case 'error': {
        if (e.type === 'error') this.lastError = { code: e.code, message: same(this.lastError?.message ?? null, e.message), mono: t };
        this.lastCause = causeWords(e) ?? this.lastCause;
        if (disconnectCause(e) !== 'client') this.failure ??= this.lastFailure = same(this.lastFailure, failureWords(e));
        if (step.cause) {
          this.counters.disconnects[step.cause]++;
          if (step.cause !== 'client') this.history.addDisconnect(t, step.cause);
        }
        if (e.type === 'close' && this.state === 'open') this.setState(t, 'closing');
        break;
      }
      case 'reconnect-scheduled':
        this.counters.reconnectAttempts++;
        this.history.addAttempt(t);
        this.attempt = e.attempt;
        this.retryAtMono = t + e.delayMs;
        this.setState(t, 'waiting');
        this.beat('down', t, { why: this.failure ?? undefined });
        break;
      case 'gave-up':
        this.beat('down', t, { why: this.failure ? held(`${this.failure}; gave up`) : 'gave up' });
        this.retryAtMono = null;
        this.setState(t, 'gave-up');
        break;
      case 'stopped':
        this.retryAtMono = null;
        this.setState(t, 'stopped');
        break;
      case 'paused':
        this.pausedBy = e.by;
        this.retryAtMono = null;
        this.setState(t, 'paused');
        break;
      case 'resumed':
        this.pausedBy = null;
        this.setState(t, 'idle');
        break;
      case 'incident-joined':
        this.incident = e.incident;
        this.incidents.push(e.incident);
        if (this.incidents.length > INCIDENTS_PER_ENDPOINT) this.incidents.shift();
        break;
    }
  }

  /**
   * Takes the history and state timeline rebuilt from past session logs (a
   * recorder fed those logs at times before this session's start); what this
   * session recorded since follows them. Counters, state and recent events
   * stay this session's own.
   */
  adoptPast(past: EndpointRecorder): void {
    // In this recorder's rings, whatever the past was folded into: how far back it reaches is this session's setting.
    const history = sameLimits(past.history.limits, this.history.limits) ? past.history : past.history.resized(this.history.limits);
    history.appendLater(this.history);
    past.timeline.appendLater(this.timeline);
    this.history = history;
    this.timeline = past.timeline;
  }

  /** Its history in rings of other sizes from now on (History.resized); nothing to do if they are the same. */
  resizeHistory(limits: HistoryLimits): void {
    if (!sameLimits(limits, this.history.limits)) this.history = this.history.resized(limits);
  }

  /**
   * What a history snapshot keeps (log/snapshot.ts), times moved by `shift`:
   * what adoptPast takes, and the state that decides how later events fold
   * in (an outage under way, a pause), so events logged after the snapshot
   * fold exactly as a replay of the whole log would fold them. All of it as
   * it is now; the rings' rows are copied only when read (ColumnRing.hold).
   */
  pastState(shift: number): RecorderPast {
    return {
      state: this.state,
      down: this.down,
      lastT: this.lastT === null ? null : this.lastT + shift,
      history: this.history.exportState(shift),
      timeline: this.timeline.exportState(shift),
    };
  }

  /** A recorder holding a snapshot's past (times moved by `shift`: onto this session's clock), ready to fold the log's tail. */
  static fromPast(id: string, past: RecorderPast, shift: number, limits?: HistoryLimits): EndpointRecorder {
    const r = new EndpointRecorder(id, limits);
    r.history.importState(past.history, shift);
    r.timeline.importState(past.timeline, shift);
    r.state = past.state;
    r.down = past.down;
    r.lastT = past.lastT === null ? null : past.lastT + shift;
    return r;
  }

  /** Uptime over each of UPTIME_SPANS back from `now`. */
  uptimes(now: number): Record<UptimeSpan, { value: number | null; since: number | null }> {
    return Object.fromEntries(UPTIME_SPANS.map((s) => [s.key, this.timeline.uptime(now - s.ms, now)])) as Record<
      UptimeSpan,
      { value: number | null; since: number | null }
    >;
  }

  /** When its last event happened, on its session's clock (null: none). */
  get lastEventT(): number | null {
    return this.lastT;
  }

  /** The end of a past session's log: from `t` the endpoint was not monitored (drawn as stopped, not as up). */
  unmonitoredFrom(t: number): void {
    this.down = false;
    this.setState(t, 'stopped');
  }

  /** Removed (a past log: the endpoint was taken away before the log ended). */
  get removed(): boolean {
    return this.removedFlag;
  }

  /**
   * An RTT sample at `t`, as the live monitor hands it over without an event (Monitor.on's `rtt`): the same as
   * apply() of its event, which changes nothing else (an answer neither begins nor ends an outage).
   */
  sample(t: number, e: RttBody): void {
    this.lastT = t;
    this.fold(t, e);
  }

  private fold(t: number, e: RttBody): void {
    this.counters.rtt.add(e.rttMs);
    if (e.networkRttMs !== undefined) {
      this.netRttMs = e.networkRttMs ?? NaN;
      this.netRttVarMs = e.networkRttVarMs ?? null;
      this.netToProxy = e.networkTo === 'proxy';
    }
    if (e.late) this.counters.heartbeatsLate++;
    this.history.addRtt(
      t,
      e.rttMs,
      typeof e.networkRttMs === 'number' ? e.networkRttMs : null,
      e.samples ? { samples: e.samples, minMs: e.minMs ?? e.rttMs, maxMs: e.maxMs ?? e.rttMs } : undefined,
    );
    this.beat(e.late ? 'late' : e.rttMs > this.alerts.rttMs ? 'slow' : 'ok', t, { seq: e.seq, rttMs: e.rttMs });
  }

  /** What the list's filters and order read (shared/list-query.ts): judged as status() would be, without building it. */
  listItem(nowMono: number): ListItem {
    const c = this.counters;
    const verdict = healthOf(
      {
        removed: this.removedFlag,
        state: this.state,
        pausedBy: this.pausedBy,
        attempt: this.attempt,
        lastCause: this.lastCause,
        downSinceMono: this.downSinceMono,
        sinceMono: this.sinceMono,
        alerts: this.alerts,
        staleSinceMono: this.staleSinceMono,
        outageStartsMono: this.outageStartsMono,
        network: this.network(),
        stats: { connects: c.connects, loss: c.loss, rtt: { lastMs: c.rtt.last } },
      },
      nowMono,
    );
    return {
      id: this.id,
      name: this.name,
      url: this.url,
      tags: this.tags,
      health: verdict.health,
      cause: verdict.cause,
      rttMs: this.state === 'open' ? c.rtt.last : null,
      heartbeatMs: this.heartbeatMs,
    };
  }

  status(nowMono: number): EndpointStatus {
    return {
      id: this.id,
      name: this.name,
      url: this.url,
      state: this.state,
      pausedBy: this.pausedBy,
      attempt: this.attempt,
      retryAtMono: this.retryAtMono,
      sinceMono: this.sinceMono,
      downSinceMono: this.downSinceMono,
      staleSinceMono: this.staleSinceMono,
      outageStartsMono: [...this.outageStartsMono],
      alerts: this.alerts,
      tags: this.tags,
      heartbeatMs: this.heartbeatMs,
      removed: this.removedFlag,
      protocol: this.protocol,
      appProtocol: this.appProtocol,
      negotiated: this.negotiated,
      lastError: this.lastError,
      lastCause: this.lastCause,
      network: this.network(),
      incident: this.incident,
      incidents: [...this.incidents],
      beats: this.beats.ticks(),
      stats: this.counters.snapshot(nowMono),
    };
  }

  private network(): NetworkReading | null {
    return Number.isNaN(this.netRttMs) ? null : { rttMs: this.netRttMs, rttVarMs: this.netRttVarMs, toProxy: this.netToProxy };
  }

  /** Where the recent events are complete from, once older ones have given way (null: all are held). */
  get eventsCompleteFrom(): number | null {
    return this.recent.completeFrom;
  }

  /** Recent non-RTT events in [from, to], oldest first. */
  events(from = -Infinity, to = Infinity): WsmonEvent[] {
    return this.recent.between(from, to);
  }

  private beat(kind: BeatTick['kind'], t: number, more: { seq?: number; rttMs?: number; why?: string | undefined }): void {
    // The same beat, answered after all: its miss becomes "late" where it stands.
    if (kind === 'late' && more.seq !== undefined && this.beats.answerLate(more.seq, more.rttMs ?? NaN)) return;
    this.beats.push(t, kind, more.seq, more.rttMs, more.why);
  }

  private setState(t: number, state: ConnState): void {
    // Staleness belongs to one open socket: any change of state ends it.
    if (state !== this.state) this.staleSinceMono = null;
    // After a pause or stop, the close of the old socket must not pull the state back.
    if ((this.state === 'paused' || this.state === 'stopped') && state === 'closing') return;
    this.state = state;
    this.sinceMono = t;
    this.timeline.record(t, state);
    this.counters.track(t, state === 'open', state !== 'paused' && state !== 'stopped' && state !== 'gave-up');
  }
}

/** A recorder's past as a history snapshot keeps it (EndpointRecorder.pastState). */
export interface RecorderPast {
  state: ConnState;
  down: boolean;
  lastT: number | null;
  history: HistoryState;
  timeline: TimelineState;
}

/**
 * A string to hold for long, as one piece of text. V8 keeps a string built by
 * concatenation as a tree of its pieces, about twice its text (a 94-character
 * cause: 250 bytes as built, 130 copied); a recorder holds a cause for each of
 * its last BEATS_KEPT beats, and ten thousand endpoints retrying hold theirs.
 */
const held = (s: string): string => Buffer.from(s).toString();
/** `s` as a flat copy of its own, or `kept` where that already says the same. */
const same = (kept: string | null, s: string): string => (s === kept ? kept : held(s));

/** What took an endpoint down, in words (shared/status.ts lastCause); null for what did not (the user's own close). */
function causeWords(e: EventOf<'error'> | EventOf<'close'>): string | null {
  if (e.type === 'error') return e.code.replace(/^HTTP_/, 'HTTP ');
  if (e.initiator === 'heartbeat') return 'heartbeat timeout';
  if (e.initiator === 'client') return null;
  return `closed ${closeCodeText(e.code, e.reason)}`;
}
