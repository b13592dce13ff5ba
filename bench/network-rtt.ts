// 11. What the network RTT and the connect phases cost. At N endpoints (10,000
// by default) at one heartbeat a second, CPU with the kernel's RTT read at
// every answer against the same fleet without it, alternated (off, on, …,
// RUNS of each) in one run and compared by their medians, so drift and
// outliers on this noisy machine fall on both. And the
// phase timing every connect does, timed alone, against a connect's whole CPU.
import { PhaseClock } from '../src/core/engine/phase-clock';
import { wsmonFleet } from './fleet';
import { fmt, measureWindow, median, report, startLabProcess } from './lib';

const N = Number(process.env.BENCH_NETWORK_N ?? 10_000);
const MEASURE_MS = 20_000;
/** Runs of each kind: the CPU of one run moves by ±10 % here, so one pair would say little. */
const RUNS = Number(process.env.BENCH_NETWORK_RUNS ?? 5);
const lab = await startLabProcess();
const measure = (begin: () => void, label?: string) => measureWindow(begin, MEASURE_MS, label);

const rows: string[][] = [['run', 'network RTT', 'CPU (% of a core)', 'answers with a network RTT', 'event-loop delay p99 (ms)', 'CPU per connect (µs)']];
const cpu: Record<'off' | 'on', number[]> = { off: [], on: [] };
const connectUs: number[] = [];
let run = 0;
for (const networkRtt of Array.from({ length: 2 * RUNS }, (_, i) => i % 2 === 1)) {
  const w = await wsmonFleet(lab, N, measure, { networkRtt, label: `network-rtt-${networkRtt ? 'on' : 'off'}-${++run}` });
  cpu[networkRtt ? 'on' : 'off'].push(w.cpuPct);
  connectUs.push(w.connectCpuUs);
  rows.push([String(run), networkRtt ? 'read' : 'off', fmt(w.cpuPct, 1), `${fmt(w.networkShare * 100, 1)} %`, fmt(w.loopP99, 1), fmt(w.connectCpuUs, 0)]);
}
await lab.stop();

// A connect's phase timing, as Link does it: a clock, five moments, the phases once ready.
const ROUNDS = 1_000_000;
let sink = 0;
const t0 = process.cpuUsage();
for (let i = 0; i < ROUNDS; i++) {
  const c = new PhaseClock(i);
  c.mark('lookup', i + 0.4);
  c.mark('connect', i + 10.5);
  c.mark('tls', i + 30.8);
  c.mark('response', i + 41);
  sink += c.phases(i + 41.2, true).upgradeMs;
}
const spent = process.cpuUsage(t0);
const phaseUs = (spent.user + spent.system) / ROUNDS;
if (sink === 0) console.error('(unreachable: keeps the loop from being optimised away)');

const ratio = median(cpu.on) / median(cpu.off);
const perConnect = median(connectUs);
report({
  title: 'Network RTT and connect phases: their cost',
  command: 'npm run bench -- network-rtt',
  table: rows,
  goals: [
    {
      goal: `at ${N.toLocaleString('en')} endpoints: CPU with the network RTT read ≤ 1.05× without it`,
      met: ratio <= 1.05,
      measured: `${fmt(ratio, 3)}× (median ${fmt(median(cpu.on), 1)} % vs ${fmt(median(cpu.off), 1)} %)`,
    },
    {
      goal: "phase timing ≤ 1 % of a connect's CPU",
      met: phaseUs / perConnect <= 0.01,
      measured: `${fmt(phaseUs * 1000, 0)} ns per connect, ${fmt((phaseUs / perConnect) * 100, 3)} % of the ${fmt(perConnect, 0)} µs a connect takes here`,
    },
  ],
  notes: [
    `each run: ${N.toLocaleString('en')} endpoints at one heartbeat a second against a lab process, measured over ${MEASURE_MS / 1000} s once all are open; CPU is this process's, user + system, all threads. Runs alternate off and on, ${RUNS} of each, compared by their medians, so that drift falls on both.`,
    'the network RTT is one getsockopt(TCP_INFO) through koffi per answer (engine/kernel-rtt.ts); what the call alone costs is under "What is not met" at the top of this file.',
    `phase timing: ${ROUNDS.toLocaleString('en')} connects' clocks (five moments, the phases once ready) timed alone; a connect's CPU is the fleet's, from the first endpoint added to the last open, divided by N.`,
  ],
});
