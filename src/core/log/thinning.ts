// Bounds a session log's disk use: RTT events are kept all, or folded into one
// summary line per endpoint per minute (mean, min, max, count). State changes
// are always kept, and a pending summary is written before the next state
// change of its endpoint, so the log stays in time order.
import type { EventOf, WsmonEvent } from '../../shared/events';
import type { RttLogging } from '../../shared/settings/app';
import { round3 } from '../../shared/format';

interface Pending {
  minute: number;
  first: EventOf<'rtt'>;
  last: EventOf<'rtt'>;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** The network RTTs read in the minute (events' networkRttMs): their mean goes on the summary. */
  networkSum: number;
  networkCount: number;
}

/** Takes each event, returns the lines to write now; `flush` returns the summaries still pending (before a mode change). */
export type Thinner = ((e: WsmonEvent) => WsmonEvent[]) & { flush(): WsmonEvent[] };

export function rttThinner(mode: RttLogging): Thinner {
  if (mode === 'all') return Object.assign((e: WsmonEvent) => [e], { flush: () => [] });
  const pending = new Map<string, Pending>();
  const summary = (p: Pending): WsmonEvent => {
    // Object.assign, not spread (as stamp): at 10,000 endpoints every summary pending is written at each history snapshot while the loop waits.
    const s: EventOf<'rtt'> = Object.assign({}, p.last);
    s.rttMs = round3(p.sum / p.count);
    s.samples = p.count;
    s.minMs = p.min;
    s.maxMs = p.max;
    if (p.last.networkRttMs !== undefined) s.networkRttMs = p.networkCount ? round3(p.networkSum / p.networkCount) : null;
    return s;
  };
  const flush = (id: string): WsmonEvent[] => {
    const p = pending.get(id);
    pending.delete(id);
    return p ? [summary(p)] : [];
  };
  const flushAll = () => [...pending.keys()].flatMap(flush);
  const take = (e: WsmonEvent): WsmonEvent[] => {
    if (e.endpoint === undefined) return [...flushAll(), e]; // session-end closes every minute
    // A late answer is kept as it is: folded into a mean, its lateness would be lost.
    if (e.type !== 'rtt' || e.late) return [...flush(e.endpoint), e];
    const minute = Math.floor(e.mono / 60_000);
    const p = pending.get(e.endpoint);
    const out = p && p.minute !== minute ? flush(e.endpoint) : [];
    const cur = pending.get(e.endpoint);
    if (cur) {
      cur.last = e;
      cur.count++;
      cur.sum += e.rttMs;
      cur.min = Math.min(cur.min, e.rttMs);
      cur.max = Math.max(cur.max, e.rttMs);
      if (typeof e.networkRttMs === 'number') {
        cur.networkSum += e.networkRttMs;
        cur.networkCount++;
      }
    } else {
      const network = typeof e.networkRttMs === 'number' ? e.networkRttMs : null;
      pending.set(e.endpoint, {
        minute,
        first: e,
        last: e,
        count: 1,
        sum: e.rttMs,
        min: e.rttMs,
        max: e.rttMs,
        networkSum: network ?? 0,
        networkCount: network === null ? 0 : 1,
      });
    }
    return out;
  };
  return Object.assign(take, { flush: flushAll });
}
