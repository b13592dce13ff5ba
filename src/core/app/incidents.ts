// Watches who goes down and folds outages that happen together into
// incidents (the rule is shared/incidents.ts): tracks what each endpoint's
// connection goes through, which endpoints are down and since when, asks this
// machine about its own network when two or more fail together, and announces
// incident-start, incident-joined and incident-end through the monitor, so
// the log, the records, the window and every listener see them as events.
import { INCIDENT_LISTED, INCIDENT_WINDOW_MS, covers, overTheNetwork, planIncidents, type Down, type IncidentPlan, type Reach } from '../../shared/incidents';
import { outageStep, type WsmonEvent } from '../../shared/events';
import { tryUrl } from '../../shared/url';
import type { TimerHandle } from '../engine/clock';
import type { Monitor } from '../engine/monitor';
import type { LocalNetworkCheck } from './local-network';

/**
 * A decision waits this long after the second down: sockets on one host that
 * dies reset within milliseconds of each other (the lab: 0.0 s), so a quarter
 * second gathers them and the cause counts them all; it costs nothing beside a
 * grace period of seconds (alerts.downAfterMs, 10 s by default).
 */
export const SETTLE_MS = 250;

export interface OpenIncident extends IncidentPlan {
  id: string;
  /** When its first member went down, session ms. */
  since: number;
  /** Members in all (some may be back already). */
  count: number;
  /** Members still down. */
  down: Set<string>;
  /** Its members were refused by a server that answered: only such a failure joins it (and no other kind joins such a one). */
  refused: boolean;
}

interface Track {
  reach: Reach;
  /** When its current outage began (session ms), or null while it is not down. */
  downSince: number | null;
  /** Paused or stopped: not watched, so neither down nor counted in "every endpoint". */
  idle: boolean;
  incident: string | null;
  /** The current outage began with the server answering no (see Down.refused). */
  refused: boolean;
  /**
   * It has had a connection: only an endpoint that loses one is part of an
   * incident. One that never opened (a closed port, a refusal from the start)
   * did not go down with anything; it was never up.
   */
  wasOpen: boolean;
}

export class IncidentDetector {
  private readonly tracks = new Map<string, Track>();
  private readonly open = new Map<string, OpenIncident>();
  /** Endpoints down and in no incident: what a decision looks at (not every endpoint, on each down of a large fleet). */
  private readonly loose = new Set<string>();
  private readonly off: () => void;
  private made = 0;
  /** The decision under way (it waits for the local check), and whether downs came in meanwhile. */
  private deciding: Promise<void> | null = null;
  private again = false;
  private settleTimer: TimerHandle | null = null;
  private stopped = false;
  private readonly prefix: string;
  private readonly queue: Parameters<Monitor['announce']>[] = [];

  constructor(
    private readonly monitor: Monitor,
    private readonly checkLocal: LocalNetworkCheck,
    private readonly windowMs = INCIDENT_WINDOW_MS,
  ) {
    // Unique across runs (their logs are read together): the session's start, then a count.
    this.prefix = Math.floor(monitor.startWall / 1000).toString(36);
    // A heartbeat's answer changes nothing here, and it is nearly every event: none is taken.
    this.off = monitor.on((e) => this.take(e), { rtt: false });
  }

  stop(): void {
    this.stopped = true;
    this.off();
    if (this.settleTimer) this.monitor.clock.clearTimeout(this.settleTimer);
  }

  /** The open incident an endpoint is part of, if any. */
  incidentOf(id: string): OpenIncident | null {
    const inc = this.tracks.get(id)?.incident;
    return inc ? (this.open.get(inc) ?? null) : null;
  }

  get openIncidents(): OpenIncident[] {
    return [...this.open.values()];
  }

  /** Settles once no decision is under way: a notice due now waits for it, so it knows whether its endpoint is part of an incident. */
  settled(): Promise<void> {
    return this.deciding ?? Promise.resolve();
  }
  get pending(): boolean {
    return this.deciding !== null;
  }

  private take(e: WsmonEvent): void {
    const id = e.endpoint;
    if (id === undefined || e.type.startsWith('incident-')) return;
    if (e.type === 'endpoint-removed') {
      this.leave(id);
      this.tracks.delete(id);
      this.loose.delete(id);
      return;
    }
    let t = this.tracks.get(id);
    if (!t)
      this.tracks.set(
        id,
        (t = { reach: { host: '', address: null, proxy: null }, downSince: null, idle: false, incident: null, refused: false, wasOpen: false }),
      );
    if (e.type === 'endpoint-added' || e.type === 'endpoint-updated') t.reach.host = tryUrl(e.url)?.hostname ?? e.url;
    if (e.type === 'paused' || e.type === 'stopped') {
      t.idle = true;
      t.downSince = null;
      this.loose.delete(id);
      this.leave(id);
      return;
    }
    if (e.type === 'resumed' || e.type === 'connecting') t.idle = false;
    if (e.type === 'open') {
      t.wasOpen = true;
      t.reach.address = e.address ?? null;
      t.reach.proxy = e.proxy ?? null;
    }
    const step = outageStep(e, t.downSince !== null);
    if (!step.down) {
      t.downSince = null;
      this.loose.delete(id);
      this.leave(id);
    } else if (t.downSince === null) {
      t.downSince = this.monitor.now();
      t.refused = step.cause === 'handshake' || step.cause === 'server-close';
      if (!t.wasOpen) return;
      this.loose.add(id);
      // A failure of the other kind is not the same outage: a server that answers is no dead path, and the reverse.
      const joined = [...this.open.values()].find((inc) => inc.refused === t.refused && covers(inc, t.reach));
      if (joined) this.join(joined, id);
      else this.decide();
    }
  }

  /** Decides on the downs not yet in an incident, after asking this machine about its network; one decision at a time. */
  private decide(): void {
    if (this.deciding) {
      this.again = true;
      return;
    }
    if (this.recentDowns().length < 2) return;
    this.deciding = (async () => {
      await new Promise<void>((settle) => (this.settleTimer = this.monitor.clock.setTimeout(settle, SETTLE_MS)));
      this.settleTimer = null;
      const recent = this.recentDowns();
      // Endpoints on this machine's loopback say nothing of its network: it is asked only about those that went over it.
      const remote = overTheNetwork(recent);
      const local = remote.length ? await this.checkLocal(remote.flatMap((d) => (d.reach.address ? [d.reach.address] : []))).catch(() => null) : null;
      if (this.stopped) return;
      // Who is down now (some may be back, more may have gone down while the machine was asked).
      const downs = this.recentDowns();
      for (const plan of planIncidents(downs, this.everyEndpointDown(), local)) this.start(plan, downs);
    })().finally(() => {
      this.deciding = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.decide();
      }
    });
  }

  /** Endpoints down, not in an incident, whose outage began within the window of the latest such. */
  private recentDowns(): Down[] {
    const downs: Down[] = [];
    for (const id of this.loose) {
      const t = this.tracks.get(id)!;
      downs.push({ id, at: t.downSince!, reach: { ...t.reach }, refused: t.refused });
    }
    const latest = Math.max(...downs.map((d) => d.at));
    return downs.filter((d) => latest - d.at <= this.windowMs);
  }

  private everyEndpointDown(): boolean {
    let watched = 0;
    for (const t of this.tracks.values()) {
      if (t.idle) continue;
      watched++;
      if (t.downSince === null) return false;
    }
    return watched >= 2;
  }

  /**
   * Announces after the event being dispatched has reached every listener: an
   * incident is caused by a close or an error, so it follows it in the log.
   */
  private say(...args: Parameters<Monitor['announce']>): void {
    if (this.queue.length === 0)
      queueMicrotask(() => {
        for (const a of this.queue.splice(0)) if (!this.stopped) this.monitor.announce(...a);
      });
    this.queue.push(args);
  }

  private start(plan: IncidentPlan, downs: Down[]): void {
    const members = downs.filter((d) => plan.members.includes(d.id));
    const inc: OpenIncident = {
      ...plan,
      id: `${this.prefix}-${++this.made}`,
      since: Math.min(...members.map((d) => d.at)),
      count: 0,
      down: new Set(),
      refused: members.every((d) => d.refused),
    };
    this.open.set(inc.id, inc);
    this.say({
      type: 'incident-start',
      incident: inc.id,
      scope: plan.scope,
      key: plan.key,
      cause: plan.cause,
      count: plan.members.length,
      endpoints: plan.members.slice(0, INCIDENT_LISTED),
      sinceMono: inc.since,
    });
    for (const id of plan.members) this.join(inc, id);
    // Joining an "every endpoint" incident also covers anything that went down while the machine was asked.
    if (plan.scope === 'all') for (const id of [...this.loose]) if (this.tracks.get(id)!.refused === inc.refused) this.join(inc, id);
  }

  private join(inc: OpenIncident, id: string): void {
    const t = this.tracks.get(id)!;
    t.incident = inc.id;
    this.loose.delete(id);
    inc.down.add(id);
    inc.count++;
    this.say({ type: 'incident-joined', incident: inc.id }, id);
  }

  /** An endpoint is back (or paused, or removed): the incident ends when the last of its members is. */
  private leave(id: string): void {
    const t = this.tracks.get(id);
    const inc = t?.incident ? this.open.get(t.incident) : undefined;
    if (!t || !inc) return;
    t.incident = null;
    inc.down.delete(id);
    if (inc.down.size > 0) return;
    this.open.delete(inc.id);
    this.say({ type: 'incident-end', incident: inc.id, durationMs: Math.round(this.monitor.now() - inc.since), count: inc.count });
  }
}
