// 5. Memory over time: 100 endpoints at 1 Hz for a simulated year, fed
// through the recorders the engine uses (history, stats, state timeline).
import { EndpointRecorder } from '../src/core/record/recorder';
import { StateTimeline, UPTIME_HOURS } from '../src/core/record/timeline';
import { History, historyLimits, type HistoryLimits } from '../src/core/record/history';
import { DEFAULT_SETTINGS, HISTORY_DAYS } from '../src/shared/settings/app';
import { EventsPool, RECENT_EVENTS, RECENT_EVENTS_BYTES, RECENT_EVENTS_POOL_BYTES, RECENT_EVENTS_SHARE_FLOOR } from '../src/core/record/recent-events';
import { stamp } from '../src/shared/events';
import { fmt, HISTORY_BOUND_KB, report } from './lib';

const N = 100;
/** A week at one sample a second, then to a year at one summary line a minute (a per-minute-thinned stream: the same buckets). */
const SECOND_BY_SECOND = 7;
const DAYS = 365;
const SHOWN = new Set([1, 2, 3, 4, 5, 6, 7, 30, 90, 180, 365]);
const fleetOf = (n: number, limits?: HistoryLimits) => Array.from({ length: n }, (_, i) => new EndpointRecorder(`e${i}`, limits));
const recorders = fleetOf(N);
const historyKB = (fleet: EndpointRecorder[]) => fleet.reduce((n, r) => n + r.history.bytes + r.timeline.bytes + r.counters.rtt.bytes, 0) / fleet.length / 1024;
/** The whole heap and the typed arrays' and buffers' storage outside it, after a collection (needs --expose-gc, which run.js passes). */
const heapMB = () => {
  global.gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
};
const rows: string[][] = [['day', 'per endpoint: history + stats (KB)', 'recent events held', 'heap + buffers (MB)']];
const t0 = Date.UTC(2026, 0, 1);
const miss = (r: EndpointRecorder, s: number) => r.apply(stamp({ type: 'heartbeat-missed', seq: s, missed: 1 }, t0 + s * 1000, s * 1000, r.id));
/** Closed by the server and back a second later: a disconnect, an attempt and three state changes a day. */
function reconnect(r: EndpointRecorder, s: number): void {
  const at = (ms: number) => [t0 + s * 1000 + ms, s * 1000 + ms] as const;
  r.apply(stamp({ type: 'close', code: 1001, reason: 'going away', wasClean: true, initiator: 'server', uptimeMs: 86_400_000 }, ...at(0), r.id));
  r.apply(stamp({ type: 'reconnect-scheduled', attempt: 1, delayMs: 1000 }, ...at(1), r.id));
  r.apply(stamp({ type: 'connecting', attempt: 1 }, ...at(1000), r.id));
  r.apply(stamp({ type: 'open', attempt: 1, handshakeMs: 1, protocol: '' }, ...at(1050), r.id));
}
/** Day `day` (from 1) of the fleet's life: an answer every `step` seconds (a minute's summary at 60), a miss an hour, a reconnect at noon. */
function live(fleet: EndpointRecorder[], day: number, step: number): void {
  if (day === 1) for (const r of fleet) r.apply(stamp({ type: 'open', attempt: 0, handshakeMs: 1, protocol: '' }, 0, 0, r.id));
  const summary = step === 1 ? {} : { samples: step, minMs: 5, maxMs: 21 };
  for (let s = (day - 1) * 86_400; s < day * 86_400; s += step) {
    const mono = s * 1000;
    for (const r of fleet)
      r.apply({
        v: 1,
        ts: '',
        mono,
        endpoint: r.id,
        type: 'rtt',
        seq: s,
        rttMs: 5 + (s % 17),
        via: 'ping',
        networkRttMs: 1 + (s % 5),
        networkRttVarMs: 0.5,
        ...summary,
      });
    if (s % 3600 === 0) for (const r of fleet) miss(r, s);
    if (s % 86_400 === 43_200) for (const r of fleet) reconnect(r, s);
  }
}
const history: number[] = [];
for (let day = 1; day <= DAYS; day++) {
  live(recorders, day, day <= SECOND_BY_SECOND ? 1 : 60);
  history.push(historyKB(recorders));
  if (SHOWN.has(day)) rows.push([String(day), fmt(history.at(-1)!, 1), String(recorders[0]!.events().length), fmt(heapMB(), 1)]);
}

/**
 * The other lengths of history a user can choose (settings' historyDays): the same life, a summary a minute, until
 * the rings are full (their days and two more), and what each endpoint then holds.
 */
const byChoice = HISTORY_DAYS.map((days) => {
  if (days === DEFAULT_SETTINGS.historyDays) return { days, kb: history[DAYS - 1]! };
  const fleet = fleetOf(10, historyLimits(days));
  for (let day = 1; day <= days + 2; day++) live(fleet, day, 60);
  return { days, kb: historyKB(fleet) };
});

/**
 * A fleet that cannot connect: FLEET endpoints refused every RETRY_S for an
 * hour, their recent events held in one pool as a live session holds them,
 * and, in the same run, with no pool limit (each endpoint to its own cap, as
 * before the pool). Storage is counted exactly; the heap after a collection.
 */
const FLEET = 10_000;
const RETRY_S = 20;
function refusedHour(pool: EventsPool): { storageMB: number; heapMB: number; held: number } {
  const fleet = Array.from({ length: FLEET }, (_, i) => new EndpointRecorder(`r${i}`, undefined, pool));
  for (let s = 0; s < 3600; s += RETRY_S)
    for (const [i, r] of fleet.entries()) {
      const mono = s * 1000 + i / 10;
      r.apply(stamp({ type: 'connecting', attempt: s / RETRY_S }, t0 + mono, mono, r.id));
      r.apply(
        stamp(
          {
            type: 'error',
            phase: 'connect',
            code: 'ECONNREFUSED',
            message: 'connection refused by 10.0.0.1:443 (nothing is listening there)',
            inPhase: 'tcp',
            phaseMs: 2.1,
          },
          t0 + mono + 2,
          mono + 2,
          r.id,
        ),
      );
      r.apply(stamp({ type: 'reconnect-scheduled', attempt: s / RETRY_S + 1, delayMs: RETRY_S * 1000 }, t0 + mono + 3, mono + 3, r.id));
    }
  const held = fleet[0]!.events().length;
  const heap = heapMB();
  fleet.length = 0;
  return { storageMB: pool.used / 1e6, heapMB: heap, held };
}
const beforeFleet = heapMB();
const unpooled = refusedHour(new EventsPool(Infinity));
const pooled = refusedHour(new EventsPool());
const fleetRow = (r: typeof pooled) =>
  `${fmt(r.storageMB, 1)} MB of ring storage, heap + buffers ${fmt(r.heapMB - beforeFleet, 0)} MB over before, ${r.held} events held by each endpoint`;

const growth = history[DAYS - 1]! - history[0]!;
const rowBytes = (layout: Record<string, { BYTES_PER_ELEMENT: number }>) => Object.values(layout).reduce((n, C) => n + C.BYTES_PER_ELEMENT, 0);
/** The state-change ring's most: it grows at the rate the state changes, as the recent events do. */
const TRANSITIONS_KB = (recorders[0]!.timeline.capacity * rowBytes(StateTimeline.layout)) / 1024;
/** The same endpoint's most with every field of every bucket taken (what every endpoint held before the fields were sparse). */
const L = recorders[0]!.history.limits;
const everyFieldKB =
  (L.rawCapacity * rowBytes(History.layout.raw) +
    (L.minuteCapacity + L.hourCapacity + L.dayCapacity) * rowBytes(History.layout.minutes) +
    UPTIME_HOURS * rowBytes(StateTimeline.hourLayout) +
    recorders[0]!.counters.rtt.bytes) /
    1024 +
  TRANSITIONS_KB;
const reach = recorders[0]!.history.query(-Infinity, Infinity).buckets;
const reachDays = (reach.at(-1)!.t + reach.at(-1)!.spanMs - reach[0]!.t) / 86_400_000;
report({
  title: 'Memory over time',
  command: 'npm run bench -- memory',
  table: rows,
  goals: [
    {
      goal: `history ≤ ${HISTORY_BOUND_KB} KB per endpoint`,
      met: history[DAYS - 1]! <= HISTORY_BOUND_KB,
      measured: `${fmt(history[DAYS - 1]!, 1)} KB (with every field of every bucket taken: ${fmt(everyFieldKB, 1)} KB, ${fmt(history[DAYS - 1]! / everyFieldKB, 2)}×)`,
    },
    {
      goal: `history flat after the first day, but for its state changes (≤ ${fmt(TRANSITIONS_KB, 1)} KB, taken as they come)`,
      met: growth <= TRANSITIONS_KB,
      measured: `day 1 → day ${DAYS}: +${fmt(growth, 1)} KB per endpoint`,
    },

    { goal: 'a year of history held', met: reachDays >= DAYS - 1, measured: `${fmt(reachDays, 1)} days back from the last sample` },
    {
      goal: `${FLEET.toLocaleString('en')} endpoints refused every ${RETRY_S} s for an hour: their recent events within twice the pool (${RECENT_EVENTS_POOL_BYTES / 1024 / 1024} MiB)`,
      met: pooled.storageMB <= (2 * RECENT_EVENTS_POOL_BYTES) / 1e6,
      measured: `${fleetRow(pooled)}; without the pool ${fleetRow(unpooled)} (${fmt(pooled.storageMB / unpooled.storageMB, 2)}×)`,
    },
  ],
  notes: [
    `Each endpoint here answers every second with the network RTT, misses a beat an hour, and is closed by its server and back a second later once a day.`,
    `History kept (the historyDays setting, --history-days), each endpoint's history + stats once its rings are full: ${byChoice.map((c) => `${c.days} days ${fmt(c.kb, 1)} KB`).join(', ')}; at 10,000 endpoints ${byChoice.map((c) => `${fmt((c.kb * 10_000) / 1024 / 1024, 2)} GiB`).join(', ')}. A day of minutes and 90 days of uptime hours are kept whatever the choice.`,
    `History (raw ring, a day of minute buckets, 90 days of hour buckets and a year of day buckets, RTT histogram, state timeline with 90 days of uptime hours; the network RTT and the spread in each bucket) reaches its full size during the first day: when the minute ring takes its full size, the hour and day rings take theirs in the columns the minutes use (a bucket's fields are sparse: one never written, such as a cause of disconnect that never happened, takes nothing), and the uptime hours theirs at the first state change past an hour. Only the ring of state changes grows after that, as they come. The bound's history is in bench/lib.ts (HISTORY_BOUND_KB).`,
    `Heap also holds each endpoint's last ${RECENT_EVENTS} non-RTT events (at most ${RECENT_EVENTS_BYTES / 1024} KiB of JSON text, UTF-8) for the events table. That ring fills at the endpoint's event rate, not with time: at one heartbeat miss an hour it is full after ${Math.ceil(RECENT_EVENTS / 24)} days, which is the heap growth in the table; from then on the heap is flat too. All endpoints' rings draw on one pool of ${RECENT_EVENTS_POOL_BYTES / 1024 / 1024} MiB: once it is full, none grows past an equal share of it (at least ${RECENT_EVENTS_SHARE_FLOOR / 1024} KiB), which the refused fleet's line measures.`,
    `Simulated time: events carry their own monotonic time. The first ${SECOND_BY_SECOND} days are fed a sample a second, the rest a summary a minute (as a per-minute-thinned log replays): the buckets are the same, and a year runs in a minute. Heap figures need --expose-gc (run.js passes it).`,
  ],
});
