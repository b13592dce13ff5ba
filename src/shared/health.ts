// One health model for every face (window, tray, terminal table, notifications,
// metrics): an endpoint's status and its alert thresholds make one verdict
// with its cause in words. Pure.
//
//   up        open, and none of the below
//   degraded  open, but stale (freshness), flapping (FLAPPING outages within
//             its window), slower than alerts.rttMs (with the side that is
//             slow: slowSide), or losing more heartbeats than alerts.loss
//   retrying  not open, for less than alerts.downAfterMs (a quick reconnect is no alarm)
//   down      not open for alerts.downAfterMs or longer, or gave up
//   paused    paused, stopped by the user, not started, or (a past log) removed
import type { AlertThresholds } from './events';
import { duration, ms, pct } from './format';
import { printable } from './printable';
import { OUTAGES_KEPT, type EndpointStatus, type NetworkReading } from './status';

export const HEALTH_STATES = ['down', 'retrying', 'degraded', 'up', 'paused'] as const;
/** In order of severity, worst first: the order problems sort in. */
export type Health = (typeof HEALTH_STATES)[number];

/** Several outages within a few minutes is flapping, however short each was. */
export const FLAPPING = { outages: 3, withinMs: 5 * 60_000 } as const;

export interface HealthVerdict {
  health: Health;
  /** Why, in words: "HTTP 503 · down 5 min 2 s", "loss 23 %", "RTT 1.2 s > 1.0 s (network 3.0 ms): the server is slow to answer". */
  cause: string;
  /** Degraded by RTT with a network reading: the side that is slow. */
  slow?: SlowSideName;
}

/**
 * What a verdict is judged from: the parts of a status it reads. A recorder gives these without building the whole
 * status (percentiles, beats), so ten thousand endpoints are judged for the list's order once a second cheaply.
 */
export type HealthInput = Pick<
  EndpointStatus,
  'removed' | 'state' | 'pausedBy' | 'attempt' | 'lastCause' | 'downSinceMono' | 'sinceMono' | 'alerts' | 'staleSinceMono' | 'outageStartsMono' | 'network'
> & { stats: { connects: number; loss: number | null; rtt: { lastMs: number | null } } };

/** What last took the endpoint down, as a person reads it (HTTP 503, closed 1011 "overloaded"); a server's words shown, never obeyed. */
const errorWords = (s: HealthInput) => (s.lastCause === null ? null : printable(s.lastCause));

/** The verdict on `s` by its own thresholds (`s.alerts`) at `nowMono`. */
export function healthOf(s: HealthInput, nowMono: number): HealthVerdict {
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

function openHealth(s: HealthInput, alerts: AlertThresholds, nowMono: number): HealthVerdict {
  if (s.staleSinceMono !== null) return { health: 'degraded', cause: `stale ${duration(nowMono - s.staleSinceMono)}: no data` };
  const recent = s.outageStartsMono.filter((t) => nowMono - t <= FLAPPING.withinMs).length;
  // Only the last OUTAGES_KEPT starts are kept: at that many, there may have been more.
  const counted = recent >= OUTAGES_KEPT ? `${OUTAGES_KEPT} or more` : String(recent);
  if (recent >= FLAPPING.outages) return { health: 'degraded', cause: `flapping: ${counted} outages in ${FLAPPING.withinMs / 60_000} min` };
  const rtt = s.stats.rtt.lastMs;
  if (rtt !== null && rtt > alerts.rttMs) {
    const slow = slowSide(rtt, s.network, alerts.rttMs);
    const cause = `RTT ${ms(rtt)} > ${ms(alerts.rttMs)}`;
    return slow ? { health: 'degraded', cause: `${cause} ${slow.words}`, slow: slow.side } : { health: 'degraded', cause };
  }
  if (s.stats.loss !== null && s.stats.loss > alerts.loss) return { health: 'degraded', cause: `loss ${pct(s.stats.loss)}` };
  return { health: 'up', cause: rtt === null ? 'open' : ms(rtt) };
}

/** Which side of a connection a slow RTT is on (slowSide). */
export const SLOW_SIDES = ['path', 'server', 'both', 'together', 'unclear'] as const;
export type SlowSideName = (typeof SLOW_SIDES)[number];

/**
 * The longest a server's kernel holds back the ACK of our beat, hoping to send
 * it with the answer (delayed ACK): Linux's TCP_DELACK_MAX and Windows'
 * default, 200 ms. A server that answers within that time sends the ACK with
 * the answer, and our kernel counts its time as the path's: the network RTT
 * is the path's round trip plus up to this much of the server's time.
 */
export const HELD_ACK_MS = 200;

/**
 * Which side a slow RTT is on, saying only what the numbers prove. The
 * heartbeat's RTT (a) is the path's round trip (p) plus the server's time to
 * answer (s). The kernel's smoothed RTT of the same socket (n, with its
 * variation v) is p plus the part of s the server's kernel held its ACK back
 * (at most HELD_ACK_MS); and a smoothed figure lags a path that just changed,
 * by at most the kernel's own margin, 4 v (its retransmission timer waits
 * n + 4 v). So p lies in [n − HELD_ACK_MS, n + 4 v], and s in a minus that.
 * Against the endpoint's threshold T:
 *
 *   both      p and s are each certainly over T
 *   path      p is certainly over T: the path is slow
 *   server    s is certainly over T: the server is slow to answer
 *   together  neither can be over T alone
 *   unclear   one of them may be, but the network RTT cannot tell which
 *
 * Through a proxy the kernel sees only the hop to it: the server's side then
 * holds the path beyond the proxy too, and is named so. Without a reading
 * nothing is said: never a guess.
 */
export function slowSide(rttMs: number, network: NetworkReading | null, thresholdMs: number): { side: SlowSideName; words: string } | null {
  if (network === null) return null;
  const n = network.rttMs;
  const path = { low: Math.max(0, n - HELD_ACK_MS), high: Math.min(rttMs, n + 4 * (network.rttVarMs ?? 0)) };
  const server = { low: rttMs - path.high, high: rttMs - path.low };
  const hop = network.toProxy ? 'the path to the proxy' : 'the path';
  const far = network.toProxy ? 'the server or the path beyond the proxy' : 'the server';
  const [side, verdict]: [SlowSideName, string] =
    path.low > thresholdMs && server.low > thresholdMs
      ? ['both', `${hop} and ${far} are both slow`]
      : path.low > thresholdMs
        ? ['path', `${hop} is slow`]
        : server.low > thresholdMs
          ? ['server', `${far} ${network.toProxy ? 'is slow' : 'is slow to answer'}`]
          : path.high <= thresholdMs && server.high <= thresholdMs
            ? ['together', `${hop} and ${far} together`]
            : ['unclear', `${hop} or ${far}: the network RTT cannot tell which`];
  return { side, words: `(network${network.toProxy ? ' to proxy' : ''} ${ms(n)}): ${verdict}` };
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

/** A tag's group: its worst health and its summary ("prod: 1 down · 3 up"). */
export interface GroupHealth {
  tag: string;
  health: Health;
  summary: string;
  count: number;
}

/** Every tag's group among these endpoints, worst first (then by tag); endpoints without tags are in none. */
export function groupHealth(verdicts: readonly { health: Health; tags: readonly string[] }[]): GroupHealth[] {
  // One pass over the endpoints, not one per tag: 10,000 endpoints under 500 tags are judged every second.
  const members = new Map<string, { health: Health }[]>();
  for (const v of verdicts)
    for (const tag of v.tags) {
      let m = members.get(tag);
      if (!m) members.set(tag, (m = []));
      if (m.at(-1) !== v) m.push(v); // a tag given twice counts the endpoint once
    }
  return bySeverity([...members.keys()].sort().map((tag) => groupOf(tag, members.get(tag)!)));
}

/** One group of endpoints (at least one) summed up under a name. */
export function groupOf(tag: string, members: readonly { health: Health }[]): GroupHealth {
  return { tag, health: bySeverity(members)[0]!.health, summary: healthSummary(members), count: members.length };
}

/** Sorts problems first (down, retrying, degraded, up, paused), keeping the given order within a state. */
export function bySeverity<T extends { health: Health }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => HEALTH_STATES.indexOf(a.item.health) - HEALTH_STATES.indexOf(b.item.health) || a.i - b.i)
    .map((x) => x.item);
}
