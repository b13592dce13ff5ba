// One health model for every face (window, tray, terminal table, notifications,
// metrics): an endpoint's status and its alert thresholds make one verdict
// with its cause in words. Pure.
//
//   up        open, and none of the below
//   degraded  open, but stale (freshness), flapping (FLAPPING outages within
//             its window), slower than alerts.rttMs, or losing more heartbeats
//             than alerts.loss
//   retrying  not open, for less than alerts.downAfterMs (a quick reconnect is no alarm)
//   down      not open for alerts.downAfterMs or longer, or gave up
//   paused    paused, stopped by the user, not started, or (a past log) removed
import type { AlertThresholds } from './events';
import { duration, ms, pct } from './format';
import { printable } from './printable';
import { OUTAGES_KEPT, type EndpointStatus } from './status';

export const HEALTH_STATES = ['down', 'retrying', 'degraded', 'up', 'paused'] as const;
/** In order of severity, worst first: the order problems sort in. */
export type Health = (typeof HEALTH_STATES)[number];

/** Several outages within a few minutes is flapping, however short each was. */
export const FLAPPING = { outages: 3, withinMs: 5 * 60_000 } as const;

export interface HealthVerdict {
  health: Health;
  /** Why, in words: "HTTP 503 · down 5 min 2 s", "loss 23 %", "RTT 1.2 s > 1.0 s". */
  cause: string;
}

/** What last took the endpoint down, as a person reads it (HTTP 503, closed 1011 "overloaded"); a server's words shown, never obeyed. */
const errorWords = (s: EndpointStatus) => (s.lastCause === null ? null : printable(s.lastCause));

/** The verdict on `s` by its own thresholds (`s.alerts`) at `nowMono`. */
export function healthOf(s: EndpointStatus, nowMono: number): HealthVerdict {
  const alerts = s.alerts;
  if (s.removed) return { health: 'paused', cause: 'removed' };
  switch (s.state) {
    case 'paused':
      return {
        health: 'paused',
        cause: s.pausedBy === 'user' || s.pausedBy === null ? 'paused' : `paused (${s.pausedBy === 'system-sleep' ? 'computer asleep' : 'offline'})`,
      };
    case 'stopped':
      return { health: 'paused', cause: 'disconnected by you' };
    case 'idle':
      return { health: 'paused', cause: 'not started' };
    case 'gave-up':
      return { health: 'down', cause: [errorWords(s), `gave up after ${s.attempt} attempt${s.attempt === 1 ? '' : 's'}`].filter(Boolean).join(' · ') };
    case 'open':
      return openHealth(s, alerts, nowMono);
    default: {
      // Connecting, waiting for a retry or closing: down since the outage began (or, never open yet, since the first try).
      const since = s.downSinceMono ?? (s.stats.connects === 0 ? s.sinceMono : null);
      const outFor = since === null ? 0 : nowMono - since;
      const error = errorWords(s);
      if (since !== null && outFor >= alerts.downAfterMs) return { health: 'down', cause: [error, `down ${duration(outFor)}`].filter(Boolean).join(' · ') };
      return { health: 'retrying', cause: error ?? (s.stats.connects === 0 ? 'connecting' : 'reconnecting') };
    }
  }
}

function openHealth(s: EndpointStatus, alerts: AlertThresholds, nowMono: number): HealthVerdict {
  if (s.staleSinceMono !== null) return { health: 'degraded', cause: `stale ${duration(nowMono - s.staleSinceMono)}: no data` };
  const recent = s.outageStartsMono.filter((t) => nowMono - t <= FLAPPING.withinMs).length;
  // Only the last OUTAGES_KEPT starts are kept: at that many, there may have been more.
  const counted = recent >= OUTAGES_KEPT ? `${OUTAGES_KEPT} or more` : String(recent);
  if (recent >= FLAPPING.outages) return { health: 'degraded', cause: `flapping: ${counted} outages in ${FLAPPING.withinMs / 60_000} min` };
  const rtt = s.stats.rtt.lastMs;
  if (rtt !== null && rtt > alerts.rttMs) return { health: 'degraded', cause: `RTT ${ms(rtt)} > ${ms(alerts.rttMs)}` };
  if (s.stats.loss !== null && s.stats.loss > alerts.loss) return { health: 'degraded', cause: `loss ${pct(s.stats.loss)}` };
  return { health: 'up', cause: rtt === null ? 'open' : ms(rtt) };
}

/** The ups first, then the problems worst first. */
const SUMMARY_ORDER: readonly Health[] = ['up', 'down', 'retrying', 'degraded', 'paused'];

/** "3 up · 1 degraded · 2 down", worst first, states with none left out; "No endpoints" when empty. */
export function healthSummary(verdicts: readonly { health: Health }[]): string {
  if (verdicts.length === 0) return 'No endpoints';
  const count = (h: Health) => verdicts.filter((v) => v.health === h).length;
  return SUMMARY_ORDER.filter((h) => count(h) > 0)
    .map((h) => `${count(h)} ${h}`)
    .join(' · ');
}

/** Sorts problems first (down, retrying, degraded, up, paused), keeping the given order within a state. */
export function bySeverity<T extends { health: Health }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => HEALTH_STATES.indexOf(a.item.health) - HEALTH_STATES.indexOf(b.item.health) || a.i - b.i)
    .map((x) => x.item);
}
