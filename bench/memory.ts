// 5. Memory over time: 100 endpoints at 1 Hz for 7 simulated days, fed
// through the recorders the engine uses (history, stats, state timeline).
import { EndpointRecorder, RECENT_EVENTS } from '../src/core/recorder';
import { stamp } from '../src/shared/events';
import { fmt, report } from './lib';

const N = 100;
const DAYS = 7;
const recorders = Array.from({ length: N }, (_, i) => new EndpointRecorder(`e${i}`));
const historyBytes = () => recorders.reduce((n, r) => n + r.history.bytes + r.timeline.bytes + r.counters.rtt.bytes, 0) / N;
for (const r of recorders) r.apply(stamp({ type: 'open', attempt: 0, handshakeMs: 1, protocol: '' }, 0, 0, r.id));
const rows: string[][] = [['day', 'per endpoint: history + stats (KB)', 'heap used (MB)']];
const t0 = Date.UTC(2026, 0, 1);
global.gc?.();
const heapStart = process.memoryUsage().heapUsed;
for (let day = 1; day <= DAYS; day++) {
  for (let s = (day - 1) * 86_400; s < day * 86_400; s++) {
    const mono = s * 1000;
    for (const r of recorders) r.apply({ v: 1, ts: '', mono, endpoint: r.id, type: 'rtt', seq: s, rttMs: 5 + (s % 17), via: 'ping' });
    if (s % 3600 === 0) for (const r of recorders) r.apply(stamp({ type: 'heartbeat-missed', seq: s, missed: 1 }, t0 + mono, mono, r.id));
  }
  global.gc?.();
  rows.push([String(day), fmt(historyBytes() / 1024, 1), fmt((process.memoryUsage().heapUsed - heapStart) / 1e6, 1)]);
}
const perEndpoint = historyBytes() / 1024;
const day1 = Number(rows[1]![2]);
const day7 = Number(rows[DAYS]![2]);
report({
  title: 'Memory over time',
  command: 'npm run bench -- memory',
  table: rows,
  goals: [
    { goal: 'history ≤ 128 KB per endpoint', met: perEndpoint <= 128, measured: `${fmt(perEndpoint, 1)} KB` },
    { goal: 'flat after the first day', met: day7 - day1 <= 2, measured: `heap day 1 ${day1} MB, day 7 ${day7} MB` },
  ],
  notes: [
    `Besides history, each endpoint keeps its last ${RECENT_EVENTS} non-RTT events for the event table; with one heartbeat miss an hour they hold ${recorders[0]!.events().length} after ${DAYS} days and fill up after ${Math.round(RECENT_EVENTS / 24)} days, which is the heap growth above. That ring is bounded, but it is not flat after day 1 at this event rate.`,
    'Simulated time: events carry their own monotonic time, so a week runs in seconds. Heap figures need --expose-gc (run.js passes it).'],
});
