// Coalesces the engine's event stream into screen updates: at most one per
// interval (125 ms: 8 a second whatever the number of endpoints, leaving room
// under ~10 for the history a view pulls), each
// carrying only the endpoints that changed (their status holds the last RTT
// and heartbeat outcomes) and the non-RTT events since the last one.
import { UPDATE_EVENT_LIMIT, type Update } from '../../shared/api';
import type { Clock, TimerHandle } from '../engine/clock';
import type { Monitor } from '../engine/monitor';
import type { Records } from '../record/records';
import type { WsmonEvent } from '../../shared/events';

export class UpdateBatcher {
  private dirty = new Set<string>();
  private removed = new Set<string>();
  private events: WsmonEvent[] = [];
  private timer: TimerHandle | null = null;
  private readonly off: () => void;

  constructor(
    monitor: Monitor,
    private readonly records: Records,
    private readonly send: (update: Update) => void,
    private readonly clock: Clock = monitor.clock,
    private readonly intervalMs = 125,
  ) {
    this.off = monitor.on((e) => this.take(e));
  }

  stop(): void {
    this.off();
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private take(e: WsmonEvent): void {
    if (e.endpoint === undefined) {
      // An incident opening or ending is the session's: the window pulls the list again when it sees one.
      if (e.type === 'incident-start' || e.type === 'incident-end') this.keep(e);
      return;
    }
    if (e.type === 'endpoint-removed') {
      this.removed.add(e.endpoint);
      this.dirty.delete(e.endpoint);
    } else {
      this.dirty.add(e.endpoint);
      this.removed.delete(e.endpoint);
    }
    if (e.type !== 'rtt') this.keep(e);
    else this.schedule();
  }

  private keep(e: WsmonEvent): void {
    this.events.push(e);
    if (this.events.length > UPDATE_EVENT_LIMIT) this.events.shift();
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= this.clock.setTimeout(() => this.flush(), this.intervalMs);
  }

  private flush(): void {
    this.timer = null;
    const ids = [...this.dirty].filter((id) => this.records.has(id));
    const update: Update = {
      nowMono: this.records.now(),
      endpoints: ids.map((id) => this.records.status(id)),
      removed: [...this.removed],
      events: this.events,
    };
    this.dirty = new Set();
    this.removed = new Set();
    this.events = [];
    this.send(update);
  }
}
