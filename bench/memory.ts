// 5. Memory over time: 100 endpoints at 1 Hz for 7 simulated days, fed
// through the recorders the engine uses (history, stats, state timeline).
import { EndpointRecorder } from '../src/core/record/recorder';
import { RECENT_EVENTS, RECENT_EVENTS_CHARS } from '../src/core/record/recent-events';
import { stamp } from '../src/shared/events';
import { fmt, HISTORY_BOUND_KB, report } from './lib';

const N = 100;
const DAYS = 7;
const recorders = Array.from({ length: N }, (_, i) => new EndpointRecorder(`e${i}`));
const historyKB = () => recorders.reduce((n, r) => n + r.history.bytes + r.timeline.bytes + r.counters.rtt.bytes, 0) / N / 1024;
/** The whole heap after a collection (needs --expose-gc, which run.js passes). */
const heapMB = () => {
  global.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};
for (const r of recorders) r.apply(stamp({ type: 'open', attempt: 0, handshakeMs: 1, protocol: '' }, 0, 0, r.id));
const rows: string[][] = [['day', 'per endpoint: history + stats (KB)', 'recent events held', 'heap used (MB)']];
const t0 = Date.UTC(2026, 0, 1);
const miss = (r: EndpointRecorder, s: number) => r.apply(stamp({ type: 'heartbeat-missed', seq: s, missed: 1 }, t0 + s * 1000, s * 1000, r.id));
const history: number[] = [];
for (let day = 1; day <= DAYS; day++) {
  for (let s = (day - 1) * 86_400; s < day * 86_400; s++) {
    const mono = s * 1000;
    for (const r of recorders)
      r.apply({ v: 1, ts: '', mono, endpoint: r.id, type: 'rtt', seq: s, rttMs: 5 + (s % 17), via: 'ping', networkRttMs: 1 + (s % 5), networkRttVarMs: 0.5 });
    if (s % 3600 === 0) for (const r of recorders) miss(r, s);
  }
  history.push(historyKB());
  rows.push([String(day), fmt(history.at(-1)!, 1), String(recorders[0]!.events().length), fmt(heapMB(), 1)]);
}
// The worst case for the events ring: every endpoint's ring full.
const beforeFill = heapMB();
for (const r of recorders) for (let k = 0; k < RECENT_EVENTS; k++) miss(r, DAYS * 86_400 + k);
const ringKB = ((heapMB() - beforeFill) * 1e6) / N / 1024;
rows.push([`${DAYS} + ring filled`, fmt(historyKB(), 1), String(recorders[0]!.events().length), fmt(heapMB(), 1)]);
const growth = history[DAYS - 1]! - history[0]!;
report({
  title: 'Memory over time',
  command: 'npm run bench -- memory',
  table: rows,
  goals: [
    { goal: `history ≤ ${HISTORY_BOUND_KB} KB per endpoint`, met: history[DAYS - 1]! <= HISTORY_BOUND_KB, measured: `${fmt(history[DAYS - 1]!, 1)} KB` },
    { goal: 'history flat after the first day', met: growth === 0, measured: `day 1 → day ${DAYS}: +${fmt(growth, 1)} KB per endpoint` },
  ],
  notes: [
    `History (raw ring, minute and hour buckets, RTT histogram, state timeline; the network RTT beside the RTT in each) reaches its full size during the first day: when the minute ring takes its full size, the hour ring does too. The goal was 128 KB until the network RTT joined the history (+20 KB: a column in the raw ring, a sum and a count per bucket), then the spread (+14 KB: each bucket's p10, median and p90 in place of its p95).`,
    `Heap also holds each endpoint's last ${RECENT_EVENTS} non-RTT events (at most ${RECENT_EVENTS_CHARS / 1024} KiB of JSON text) for the events table. That ring fills at the endpoint's event rate, not with time: at one heartbeat miss an hour it holds ${DAYS * 24 + 1} after ${DAYS} days, which is the heap growth in the table. Filled to its cap it adds ${fmt(ringKB, 1)} KB per endpoint (the last row), so the bound per endpoint is history + that, whatever the session length.`,
    'Simulated time: events carry their own monotonic time, so a week runs in seconds. Heap figures need --expose-gc (run.js passes it).',
  ],
});
