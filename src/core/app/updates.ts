// Coalesces the engine's event stream into batches for the windows: at most one
// per interval (125 ms: 8 a second whatever the number of endpoints, leaving
// room under ~10 for the history a view pulls), each naming the endpoints that
// changed and carrying the non-RTT events since the last one. Each window turns
// a batch into its own update (client-view.ts): only what it shows. A tick a
// second while nothing happens lets a window's list catch up with health that
// changes by time alone (retrying becomes down).
import { UPDATE_EVENT_LIMIT } from '../../shared/api';
import type { Clock, TimerHandle } from '../engine/clock';
import type { Monitor } from '../engine/monitor';
import type { WsmonEvent } from '../../shared/events';

export interface Batch {
  nowMono: number;
  /** Endpoints whose status changed (added ones included). */
  changed: ReadonlySet<string>;
  removed: ReadonlySet<string>;
  /** An endpoint was added, removed or changed its settings: lists are ordered again at once. */
  membership: boolean;
  /** Non-RTT events since the last batch, oldest first (at most UPDATE_EVENT_LIMIT). */
  events: WsmonEvent[];
}

const MEMBERSHIP = new Set(['endpoint-added', 'endpoint-removed', 'endpoint-updated']);
const TICK_MS = 1000;

export class UpdateBatcher {
  private changed = new Set<string>();
  private removed = new Set<string>();
  private membership = false;
  private events: WsmonEvent[] = [];
  private timer: TimerHandle | null = null;
  private tick: TimerHandle | null = null;
  private readonly off: () => void;

  constructor(
    private readonly monitor: Monitor,
    private readonly send: (batch: Batch) => void,
    private readonly clock: Clock = monitor.clock,
    private readonly intervalMs = 125,
  ) {
    // An answer only marks its endpoint changed: its sample, not an event.
    this.off = monitor.on((e) => this.take(e), { rtt: (id) => this.answered(id) });
    this.idle();
  }

  stop(): void {
    this.off();
    if (this.timer) this.clock.clearTimeout(this.timer);
    if (this.tick) this.clock.clearTimeout(this.tick);
    this.timer = this.tick = null;
  }

  private take(e: WsmonEvent): void {
    if (e.endpoint === undefined) {
      // An incident opening or ending is the session's: the window pulls the incidents again when it sees one.
      if (e.type === 'incident-start' || e.type === 'incident-end') this.keep(e);
      return;
    }
    if (MEMBERSHIP.has(e.type)) this.membership = true;
    if (e.type === 'endpoint-removed') {
      this.removed.add(e.endpoint);
      this.changed.delete(e.endpoint);
    } else {
      this.changed.add(e.endpoint);
      this.removed.delete(e.endpoint);
    }
    this.keep(e);
  }

  private answered(id: string): void {
    this.changed.add(id);
    this.schedule();
  }

  private keep(e: WsmonEvent): void {
    this.events.push(e);
    if (this.events.length > UPDATE_EVENT_LIMIT) this.events.shift();
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= this.clock.setTimeout(() => this.flush(), this.intervalMs);
  }

  private idle(): void {
    if (this.tick) this.clock.clearTimeout(this.tick);
    this.tick = this.clock.setTimeout(() => this.flush(), TICK_MS);
  }

  private flush(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    const batch: Batch = { nowMono: this.monitor.now(), changed: this.changed, removed: this.removed, membership: this.membership, events: this.events };
    this.changed = new Set();
    this.removed = new Set();
    this.membership = false;
    this.events = [];
    this.idle();
    this.send(batch);
  }
}
