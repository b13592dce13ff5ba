// 1. RTT fidelity: the lab delays pongs by D; wsmon's measured RTT minus D,
// against a bare ws ping/pong loop in the same run (the physical floor).
import WebSocket from 'ws';
import { Monitor } from '../src/core/engine/monitor';
import { fmt, median, quantile, report, startLabProcess, until } from './lib';
import { parseEndpoint } from '../src/shared/config';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000);
const lab = await startLabProcess();

/** A bare ws ping/pong loop: back to back (hot), or one ping every `everyMs` like wsmon's heartbeat (paced). */
async function bareLoop(n: number, everyMs = 0): Promise<number[]> {
  const ws = new WebSocket(lab.url);
  await new Promise((r) => ws.once('open', r));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await new Promise<void>((r) => {
      ws.once('pong', () => r());
      ws.ping();
    });
    out.push(performance.now() - t);
    if (everyMs) await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - t))));
  }
  ws.terminate();
  return out;
}

async function wsmonSamples(delay: number, n: number): Promise<number[]> {
  const monitor = new Monitor();
  const samples: number[] = [];
  monitor.on((e) => e.type === 'rtt' && samples.length < n && samples.push(e.rttMs));
  monitor.add(parseEndpoint({ url: `${lab.url}?pongDelay=${delay}`, name: `d${delay}`, heartbeat: { intervalMs: 50, timeoutMs: 1000 + delay } }));
  await until(() => samples.length >= n, 600_000);
  await monitor.stop();
  return samples;
}

const hot = await bareLoop(SAMPLES);
// The floor wsmon is compared with: the same ws ping/pong, paced like wsmon's heartbeat (50 ms), so both pay
// the same wake-up cost after an idle gap; the back-to-back loop is shown for reference.
const bare = await bareLoop(SAMPLES, 50);
const bareMedian = median(bare);
const rows: string[][] = [['D (ms)', 'samples', 'median error (ms)', 'p99 error (ms)', 'median − floor median (ms)']];
rows.push(['bare ws loop, back to back', String(hot.length), fmt(median(hot)), fmt(quantile(hot, 0.99)), fmt(median(hot) - bareMedian)]);
rows.push(['bare ws loop, every 50 ms (floor)', String(bare.length), fmt(bareMedian), fmt(quantile(bare, 0.99)), '0']);
const goals: { goal: string; met: boolean; measured: string }[] = [];
for (const d of [0, 1, 10, 100]) {
  const s = await wsmonSamples(d, SAMPLES);
  const err = s.map((v) => v - d);
  const medErr = median(err);
  rows.push([String(d), String(s.length), fmt(medErr), fmt(quantile(err, 0.99)), fmt(medErr - bareMedian)]);
  if (d === 0)
    goals.push({
      goal: 'median (measured − D) within 0.1 ms of the bare loop at D = 0',
      met: Math.abs(medErr - bareMedian) <= 0.1,
      measured: `${fmt(medErr - bareMedian)} ms`,
    });
  goals.push({
    goal: `p99 error ≤ 1 ms at D = ${d}`,
    met: quantile(err, 0.99) <= 1,
    measured: `${fmt(quantile(err, 0.99))} ms (floor p99 ${fmt(quantile(bare, 0.99))} ms)`,
  });
}
await lab.stop();
report({
  title: 'RTT fidelity',
  command: 'npm run bench -- rtt',
  table: rows,
  goals,
  notes: [`${SAMPLES} samples per row; wsmon pings every 50 ms (its minimum interval), so pings overlap for D = 100.`],
});
