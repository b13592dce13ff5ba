// 12. What capturing frames costs. 1,000 endpoints (BENCH_FRAMES_N) each
// receiving 10 messages a second from a lab process and beating once a
// second, with every frame kept (the default bounds: 200 frames, 256 KiB)
// against the same fleet with capture off, alternated (off, on, …, RUNS of
// each) in one run and compared by their medians. And what the kept frames
// weigh: the heap and typed-array memory with capture on over off, per
// endpoint, measured after a collection with every ring full, against the
// bound the endpoint is configured with.
import { DEFAULTS } from '../src/shared/config';
import { realClock } from '../src/core/engine/clock';
import { FrameLog } from '../src/core/engine/frame-log';
import type { Monitor } from '../src/core/engine/monitor';
import { wsmonFleet } from './fleet';
import { fmt, measureWindow, median, report, startLabProcess } from './lib';

const N = Number(process.env.BENCH_FRAMES_N ?? 1000);
const MEASURE_MS = 20_000;
const RUNS = Number(process.env.BENCH_FRAMES_RUNS ?? 3);
/** Twelve frames a second fill a ring of 200 in 17 s: the window measures capture once the rings are full (filling them, growing each ring and arena, happens once). */
const SETTLE_MS = 20_000;
const lab = await startLabProcess();
const measure = (begin: () => void, label?: string) => measureWindow(begin, MEASURE_MS, label);

/** Heap and typed arrays (the rings' numbers live outside the heap) after a collection, MB. */
const memoryMB = () => {
  global.gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
};

const rows: string[][] = [['run', 'capture', 'CPU (% of a core)', 'frames held per endpoint', 'bytes held per endpoint (KiB)', 'heap + typed arrays (MB)']];
const cpu: Record<'off' | 'on', number[]> = { off: [], on: [] };
const mem: Record<'off' | 'on', number[]> = { off: [], on: [] };
const accounted: number[] = [];
let run = 0;
for (const frames of Array.from({ length: 2 * RUNS }, (_, i) => i % 2 === 1)) {
  const kind = frames ? 'on' : 'off';
  let held = { frames: 0, bytes: 0 };
  const inspect = (monitor: Monitor) => {
    for (const id of monitor.ids()) {
      const h = monitor.frames(id, Number.MAX_SAFE_INTEGER).held;
      held = { frames: held.frames + h.frames, bytes: held.bytes + h.bytes };
    }
    mem[kind].push(memoryMB());
  };
  const w = await wsmonFleet(lab, N, measure, { frames, query: 'tick=100', settleMs: SETTLE_MS, inspect, label: `frames-${kind}-${++run}` });
  cpu[kind].push(w.cpuPct);
  if (frames) accounted.push(held.bytes / N);
  rows.push([String(run), kind, fmt(w.cpuPct, 1), fmt(held.frames / N, 0), fmt(held.bytes / N / 1024, 1), fmt(mem[kind].at(-1)!, 1)]);
}
await lab.stop();

// One frame's capture, timed alone: a text message recorded into 1,000 full rings, round and round.
const logs = Array.from({ length: 1000 }, () => new FrameLog(DEFAULTS.frames, realClock, 0));
const conns = logs.map((l) => l.begin([]));
const message = Buffer.from('tick 1796590926474');
const ROUNDS = 1000;
let recordUs = Infinity;
for (let round = 0; round < 3; round++) {
  const t0 = process.cpuUsage();
  for (let k = 0; k < ROUNDS; k++) for (let i = 0; i < logs.length; i++) logs[i]!.record(conns[i]!, 'in', 'text', message);
  const spent = process.cpuUsage(t0);
  recordUs = Math.min(recordUs, (spent.user + spent.system) / (ROUNDS * logs.length));
}

const ratio = median(cpu.on) / median(cpu.off);
const perEndpointKiB = ((median(mem.on) - median(mem.off)) * 1e6) / N / 1024;
const boundKiB = DEFAULTS.frames.bytes / 1024;
report({
  title: 'Frame capture: its cost',
  command: 'npm run bench -- frames',
  table: rows,
  goals: [
    {
      goal: `at ${N.toLocaleString('en')} endpoints receiving 10 messages/s each: CPU with every frame captured ≤ 1.15× without`,
      met: ratio <= 1.15,
      measured: `${fmt(ratio, 3)}× (median ${fmt(median(cpu.on), 1)} % vs ${fmt(median(cpu.off), 1)} %)`,
    },
    {
      goal: `memory the frames take per endpoint within its configured bound (${boundKiB} KiB, ${DEFAULTS.frames.count} frames)`,
      met: perEndpointKiB <= boundKiB,
      measured: `${fmt(perEndpointKiB, 1)} KiB measured (heap and typed arrays, capture on over off, medians); the rings account ${fmt(median(accounted) / 1024, 1)} KiB`,
    },
  ],
  notes: [
    `each run: ${N.toLocaleString('en')} endpoints at one heartbeat a second, each sent a 20-byte text message every 100 ms by a lab process (tick=100), measured over ${MEASURE_MS / 1000} s starting ${SETTLE_MS / 1000} s after all are open, when every ring is full (200 frames: ping, pong and ten messages a second) and stays so: steady capture, not the first seconds' filling. CPU is this process's, user + system, all threads. Runs alternate off and on, ${RUNS} of each, compared by their medians.`,
    `one frame's capture alone: ${fmt(recordUs, 2)} µs (a 20-byte message into 1,000 full rings, ${ROUNDS.toLocaleString('en')} rounds, the least of three) — ${fmt((recordUs * 12_000) / 10_000, 2)} % of a core at the 12,000 frames a second above.`,
    'memory: after the window, a full collection, then heapUsed + arrayBuffers of the process; capture on minus capture off (medians), over N. What a frame is charged (payload, and 64 B for its slots) is what the bound counts; the measured figure says whether that charge is honest.',
  ],
});
