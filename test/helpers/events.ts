// Collects a monitor's events and waits for them: tests wait for what
// happens, never for a fixed time.
import type { Monitor } from '../../src/core/engine/monitor';
import type { EventOf, EventType, WsmonEvent } from '../../src/shared/events';

type Waiter = { pred: (e: WsmonEvent) => boolean; resolve: (e: WsmonEvent) => void };

export class EventLog {
  readonly events: WsmonEvent[] = [];
  private waiters: Waiter[] = [];

  constructor(monitor: Monitor) {
    monitor.on((e) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
    });
  }

  /** Resolves with the first event (already seen or future) matching `pred`. */
  waitFor(pred: (e: WsmonEvent) => boolean, what: string, timeoutMs = 8000): Promise<WsmonEvent> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw: ${this.summary()}`));
      }, timeoutMs);
      const done = (e: WsmonEvent) => {
        clearTimeout(timer);
        resolve(e);
      };
      this.waiters.push({ pred, resolve: done });
    });
  }

  /** Waits for the n-th event of a type on an endpoint (1-based). */
  async nth<T extends EventType>(endpoint: string, type: T, n = 1, timeoutMs?: number): Promise<EventOf<T>> {
    let count = 0;
    return (await this.waitFor((e) => e.endpoint === endpoint && e.type === type && ++count >= n, `${type} #${n} on ${endpoint}`, timeoutMs)) as EventOf<T>;
  }

  of(endpoint: string): WsmonEvent[] {
    return this.events.filter((e) => e.endpoint === endpoint);
  }

  /**
   * Event types for an endpoint, with consecutive rtt events folded into one "rtt*".
   * Without incident-joined: which incident an endpoint is part of is the session's
   * decision over several endpoints (test/integration/incidents.test.ts), not its connection's.
   */
  types(endpoint: string, fold = true): string[] {
    const out: string[] = [];
    for (const e of this.of(endpoint)) {
      if (e.type === 'incident-joined') continue;
      const t = fold && e.type === 'rtt' ? 'rtt*' : e.type;
      if (!(fold && t === 'rtt*' && out[out.length - 1] === 'rtt*')) out.push(t);
    }
    return out;
  }

  summary(): string {
    return this.events
      .map((e) => `${e.endpoint ?? '-'}:${e.type}`)
      .slice(-30)
      .join(' ');
  }
}

/** Handles Node keeps alive (sockets, timers, servers), by kind. */
export function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
