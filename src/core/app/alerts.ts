// Decides when to tell a person that an endpoint went down or recovered, by
// the health model's rule for "down" (shared/health.ts): an outage is
// announced only after its grace period (alerts.downAfterMs), so a quick
// reconnect is no alarm, or at once when the endpoint gives up; a recovery is
// announced only after a down was.
// Rate-limited per endpoint and overall; mutable per endpoint and globally.
// Inside an incident (core/app/incidents.ts) an endpoint's own notices are
// recorded, not shown: the incident gets one notice when the first of its
// members is due one, and one when it ends.
import { duration } from '../../shared/format';
import type { Notice, NoticeRecord } from '../../shared/api';
import { isoTime, outageStep, type WsmonEvent } from '../../shared/events';
import { describeEvent } from '../../shared/describe';
import type { Clock, TimerHandle } from '../engine/clock';
import type { Monitor } from '../engine/monitor';
import { printable } from '../../shared/printable';
import type { IncidentDetector, OpenIncident } from './incidents';

/** The notices kept for the window (shown and withheld), newest last. */
export const NOTICES_KEPT = 100;

export interface AlertOptions {
  /** At most this many notices per endpoint within `windowMs`; then one "too many notices" notice and silence (rate-limited: not the health model's "flapping"). */
  perEndpoint?: number;
  /** At most this many notices overall within `windowMs`. */
  overall?: number;
  windowMs?: number;
}

interface Track {
  down: boolean;
  downSince: number;
  cause: string;
  timer: TimerHandle | null;
  announced: boolean;
  /** Its down notice was withheld inside this incident (so its recovery is too). */
  withheld: string | null;
  sent: number[];
  limitNoticed: boolean;
}

export class AlertCenter {
  private readonly tracks = new Map<string, Track>();
  private readonly sent: number[] = [];
  private readonly muted = new Set<string>();
  private allMuted = false;
  private readonly off: () => void;
  private readonly opts: Required<AlertOptions>;
  /** Incidents whose opening was announced: their end is too. */
  private readonly incidentsAnnounced = new Map<string, OpenIncident>();
  private readonly kept: NoticeRecord[] = [];

  constructor(
    private readonly monitor: Monitor,
    private readonly notify: (n: Notice) => void,
    private readonly clock: Clock = monitor.clock,
    options: AlertOptions = {},
    private readonly incidents: IncidentDetector | null = null,
  ) {
    this.opts = { perEndpoint: 4, overall: 10, windowMs: 10 * 60_000, ...options };
    // An answer neither begins nor ends an outage: no RTT samples here.
    this.off = monitor.on((e) => this.take(e), { rtt: false });
  }

  /** The last notices, shown and withheld, oldest first. */
  get recent(): NoticeRecord[] {
    return [...this.kept];
  }

  mute(id: string, on = true): void {
    if (on) this.muted.add(id);
    else this.muted.delete(id);
  }
  muteAll(on = true): void {
    this.allMuted = on;
  }
  /** Replaces the set of muted endpoints. */
  setMuted(ids: Iterable<string>): void {
    this.muted.clear();
    for (const id of ids) this.muted.add(id);
  }
  get mutedAll(): boolean {
    return this.allMuted;
  }

  stop(): void {
    this.off();
    for (const t of this.tracks.values()) if (t.timer) this.clock.clearTimeout(t.timer);
    this.tracks.clear();
  }

  private take(e: WsmonEvent): void {
    if (e.type === 'incident-end') return this.incidentOver(e.incident, e.durationMs, e.count);
    const id = e.endpoint;
    if (id === undefined) return;
    if (e.type === 'endpoint-removed') {
      const t = this.tracks.get(id);
      if (t?.timer) this.clock.clearTimeout(t.timer);
      this.tracks.delete(id);
      return;
    }
    const t = this.tracks.get(id) ?? { down: false, downSince: 0, cause: '', timer: null, announced: false, withheld: null, sent: [], limitNoticed: false };
    this.tracks.set(id, t);
    if (e.type === 'paused' || e.type === 'stopped') return this.forgetOutage(t);
    const step = outageStep(e, t.down);
    if (step.down && !t.down) {
      t.downSince = this.clock.now();
      t.cause = describeEvent(e);
      const grace = this.monitor.has(id) ? this.monitor.config(id).alerts.downAfterMs : 0;
      t.timer = this.clock.setTimeout(() => {
        t.timer = null;
        this.due(id, t, () => `down for ${duration(this.clock.now() - t.downSince)}`);
      }, grace);
    }
    t.down = step.down;
    // Giving up is down at once, grace or not: the same rule as the health model (shared/health.ts).
    if (e.type === 'gave-up' && t.down && t.timer) {
      this.clock.clearTimeout(t.timer);
      t.timer = null;
      this.due(id, t, () => `gave up after ${e.attempts} attempts`);
    }
    if (e.type === 'open') {
      const recovered: Notice = {
        endpoint: id,
        kind: 'recovered',
        title: `${this.name(id)} recovered`,
        body: `back after ${duration(this.clock.now() - t.downSince)} down (${t.cause})`,
      };
      if (t.announced) this.send(id, t, recovered);
      else if (t.withheld) this.withhold({ ...recovered, incident: t.withheld });
      this.forgetOutage(t);
    }
  }

  /**
   * An endpoint's down notice is due. Whether it is part of an incident is
   * known once any decision under way is made (it waits for the machine's own
   * network check, a second at most); inside one, the incident's notice is
   * shown (once) and the endpoint's is recorded.
   */
  private due(id: string, t: Track, how: () => string): void {
    if (this.incidents?.pending) {
      const outage = t.downSince;
      void this.incidents.settled().then(() => {
        if (this.tracks.get(id) === t && t.down && t.downSince === outage && !t.announced && !t.withheld) this.due(id, t, how);
      });
      return;
    }
    const down: Notice = { endpoint: id, kind: 'down', title: `${this.name(id)} is down`, body: `${t.cause} · ${how()}` };
    const inc = this.incidents?.incidentOf(id);
    if (!inc) {
      t.announced = this.send(id, t, down);
      return;
    }
    t.withheld = inc.id;
    this.withhold({ ...down, incident: inc.id });
    if (this.incidentsAnnounced.has(inc.id)) return;
    // Muted endpoints stay silent in an incident too: it is announced only if one of its members may be, and
    // names those first (a click shows the first).
    const members = [...inc.down].sort((a, b) => Number(this.muted.has(a)) - Number(this.muted.has(b)));
    if (this.allMuted || members.every((m) => this.muted.has(m))) return;
    const names = members.slice(0, 5).map((m) => this.name(m));
    const more = inc.count > names.length ? ` and ${inc.count - names.length} more` : '';
    const shown = this.send(null, null, {
      endpoint: members[0]!,
      kind: 'incident',
      incident: inc.id,
      title: `Incident: ${inc.key}`,
      body: `${inc.cause} · ${names.join(', ')}${more}`,
    });
    if (shown) this.incidentsAnnounced.set(inc.id, { ...inc, members });
  }

  private incidentOver(incident: string, durationMs: number, count: number): void {
    const inc = this.incidentsAnnounced.get(incident);
    if (!inc) return;
    this.incidentsAnnounced.delete(incident);
    this.send(null, null, {
      endpoint: inc.members[0]!,
      kind: 'incident-over',
      incident,
      title: `Incident over: ${inc.key}`,
      body: `${count} endpoint${count === 1 ? '' : 's'} back after ${duration(durationMs)} (${inc.cause})`,
    });
  }

  /** Forgets the current outage (recovered, or paused by someone: a pause is no alarm). */
  private forgetOutage(t: Track): void {
    if (t.timer) this.clock.clearTimeout(t.timer);
    t.timer = null;
    t.down = false;
    t.announced = false;
    t.withheld = null;
  }

  /**
   * Sends unless muted or over a rate limit; says whether it was sent. An
   * incident's notice (no endpoint track) is muted only by the global switch
   * and counts against the overall limit alone.
   */
  private send(id: string | null, t: Track | null, notice: Notice): boolean {
    if (this.allMuted || (id !== null && this.muted.has(id))) return false;
    const now = this.clock.now();
    const recent = (list: number[]) => {
      while (list.length && now - list[0]! > this.opts.windowMs) list.shift();
      return list.length;
    };
    if (recent(this.sent) >= this.opts.overall) return false;
    if (t && id !== null && recent(t.sent) >= this.opts.perEndpoint) {
      if (!t.limitNoticed) {
        t.limitNoticed = true;
        this.sent.push(now);
        this.show({
          endpoint: id,
          kind: 'rate-limited',
          title: `${this.name(id)}: too many notices`,
          body: `it went down and came back ${this.opts.perEndpoint / 2} times; no more notices for it for ${duration(this.opts.windowMs)}`,
        });
      }
      return false;
    }
    if (t) {
      t.limitNoticed = false;
      t.sent.push(now);
    }
    this.sent.push(now);
    this.show(notice);
    return true;
  }

  /** A cause may quote the server (an HTTP status text, a close reason): shown, never obeyed. */
  private show(notice: Notice): void {
    const safe = { ...notice, title: printable(notice.title), body: printable(notice.body) };
    this.keep({ ts: isoTime(this.clock.wall()), notice: safe, shown: true });
    this.notify(safe);
  }

  private withhold(notice: Notice): void {
    this.keep({
      ts: isoTime(this.clock.wall()),
      notice: { ...notice, title: printable(notice.title), body: printable(notice.body) },
      shown: false,
      withheld: 'incident',
    });
  }

  private keep(r: NoticeRecord): void {
    this.kept.push(r);
    if (this.kept.length > NOTICES_KEPT) this.kept.shift();
  }

  private name(id: string): string {
    return this.monitor.has(id) ? this.monitor.config(id).name : id;
  }
}
