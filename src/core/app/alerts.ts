// Decides when to tell a person that an endpoint went down or recovered, by
// the health model's rule for "down" (shared/health.ts): an outage is
// announced only after its grace period (alerts.downAfterMs), so a quick
// reconnect is no alarm, or at once when the endpoint gives up; a recovery is
// announced only after a down was.
// Rate-limited per endpoint and overall; mutable per endpoint and globally.
import { duration } from '../../shared/format';
import type { Notice } from '../../shared/api';
import { outageStep, type WsmonEvent } from '../../shared/events';
import { describeEvent } from '../../shared/describe';
import type { Clock, TimerHandle } from '../engine/clock';
import type { Monitor } from '../engine/monitor';
import { printable } from '../../shared/printable';

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

  constructor(
    private readonly monitor: Monitor,
    private readonly notify: (n: Notice) => void,
    private readonly clock: Clock = monitor.clock,
    options: AlertOptions = {},
  ) {
    this.opts = { perEndpoint: 4, overall: 10, windowMs: 10 * 60_000, ...options };
    this.off = monitor.on((e) => this.take(e));
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
    const id = e.endpoint;
    if (id === undefined) return;
    if (e.type === 'endpoint-removed') {
      const t = this.tracks.get(id);
      if (t?.timer) this.clock.clearTimeout(t.timer);
      this.tracks.delete(id);
      return;
    }
    const t = this.tracks.get(id) ?? { down: false, downSince: 0, cause: '', timer: null, announced: false, sent: [], limitNoticed: false };
    this.tracks.set(id, t);
    if (e.type === 'paused' || e.type === 'stopped') return this.forgetOutage(t);
    const step = outageStep(e, t.down);
    if (step.down && !t.down) {
      t.downSince = this.clock.now();
      t.cause = describeEvent(e);
      const grace = this.monitor.has(id) ? this.monitor.config(id).alerts.downAfterMs : 0;
      t.timer = this.clock.setTimeout(() => {
        t.timer = null;
        t.announced = this.send(id, t, 'down', `${this.name(id)} is down`, `${t.cause} · down for ${duration(this.clock.now() - t.downSince)}`);
      }, grace);
    }
    t.down = step.down;
    // Giving up is down at once, grace or not: the same rule as the health model (shared/health.ts).
    if (e.type === 'gave-up' && t.down && t.timer) {
      this.clock.clearTimeout(t.timer);
      t.timer = null;
      t.announced = this.send(id, t, 'down', `${this.name(id)} is down`, `${t.cause} · gave up after ${e.attempts} attempts`);
    }
    if (e.type === 'open') {
      if (t.announced) this.send(id, t, 'recovered', `${this.name(id)} recovered`, `back after ${duration(this.clock.now() - t.downSince)} down (${t.cause})`);
      this.forgetOutage(t);
    }
  }

  /** Forgets the current outage (recovered, or paused by someone: a pause is no alarm). */
  private forgetOutage(t: Track): void {
    if (t.timer) this.clock.clearTimeout(t.timer);
    t.timer = null;
    t.down = false;
    t.announced = false;
  }

  /** Sends unless muted or over a rate limit; says whether it was sent. */
  private send(id: string, t: Track, kind: Notice['kind'], title: string, body: string): boolean {
    if (this.allMuted || this.muted.has(id)) return false;
    const now = this.clock.now();
    const recent = (list: number[]) => {
      while (list.length && now - list[0]! > this.opts.windowMs) list.shift();
      return list.length;
    };
    if (recent(this.sent) >= this.opts.overall) return false;
    if (recent(t.sent) >= this.opts.perEndpoint) {
      if (!t.limitNoticed) {
        t.limitNoticed = true;
        this.sent.push(now);
        this.notify({
          endpoint: id,
          kind: 'rate-limited',
          title: printable(`${this.name(id)}: too many notices`),
          body: `it went down and came back ${this.opts.perEndpoint / 2} times; no more notices for it for ${duration(this.opts.windowMs)}`,
        });
      }
      return false;
    }
    t.limitNoticed = false;
    t.sent.push(now);
    this.sent.push(now);
    // A cause may quote the server (an HTTP status text, a close reason): shown, never obeyed.
    this.notify({ endpoint: id, kind, title: printable(title), body: printable(body) });
    return true;
  }

  private name(id: string): string {
    return this.monitor.has(id) ? this.monitor.config(id).name : id;
  }
}
