// 3. Scale: N endpoints at 1 ping/s in this process against a lab process:
// CPU share, RSS, event-loop delay p99 and heartbeat send skew.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Monitor } from '../src/core/monitor';
import { fmt, quantile, report, startLabProcess, until } from './lib';

const SIZES = (process.env.BENCH_SCALE ?? '100,1000,2000,5000').split(',').map(Number);
const MEASURE_MS = 20_000;
const lab = await startLabProcess();
const rows: string[][] = [['endpoints', 'CPU (% of a core)', 'RSS (MB)', 'event-loop delay p99 (ms)', 'send skew p99 (ms)', 'rtt events/s']];
const goals: { goal: string; met: boolean; measured: string }[] = [];
for (const n of SIZES) {
  const monitor = new Monitor();
  const open = new Set<string>();
  // Send skew: how late each heartbeat went out against its ideal 1 s timeline, seen as the spacing of rtt seq numbers.
  const lastSent = new Map<string, number>();
  const skew: number[] = [];
  let rtts = 0;
  monitor.on((e) => {
    if (e.endpoint === undefined) return;
    if (e.type === 'open') open.add(e.endpoint);
    if (e.type === 'rtt') {
      rtts++;
      const sentAt = e.mono - e.rttMs;
      const prev = lastSent.get(e.endpoint);
      if (prev !== undefined) skew.push(Math.abs(sentAt - prev - 1000));
      lastSent.set(e.endpoint, sentAt);
    }
  });
  for (let i = 0; i < n; i++) monitor.add({ url: `${lab.url}n${i}`, name: `n${i}`, heartbeat: { intervalMs: 1000, timeoutMs: 5000 } });
  await until(() => open.size === n, 120_000);
  await new Promise((r) => setTimeout(r, 2000)); // settle after the connect burst
  skew.length = 0;
  rtts = 0;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  delay.disable();
  const cpuPct = ((cpu.user + cpu.system) / 1000 / wall) * 100;
  const rss = process.memoryUsage().rss / 1e6;
  const loopP99 = delay.percentile(99) / 1e6;
  const skewP99 = quantile(skew, 0.99);
  rows.push([String(n), fmt(cpuPct, 1), fmt(rss, 0), fmt(loopP99, 1), fmt(skewP99, 1), fmt((rtts / wall) * 1000, 0)]);
  if (n === 2000) {
    goals.push({ goal: 'at 2,000: ≤ 15 % of one core', met: cpuPct <= 15, measured: `${fmt(cpuPct, 1)} %` });
    goals.push({ goal: 'at 2,000: ≤ 300 MB RSS', met: rss <= 300, measured: `${fmt(rss, 0)} MB` });
    goals.push({ goal: 'at 2,000: event-loop delay p99 ≤ 20 ms', met: loopP99 <= 20, measured: `${fmt(loopP99, 1)} ms` });
    goals.push({ goal: 'at 2,000: heartbeat send skew p99 ≤ 25 ms', met: skewP99 <= 25, measured: `${fmt(skewP99, 1)} ms` });
  }
  await monitor.stop();
}
await lab.stop();
report({ title: 'Scale', command: 'npm run bench -- scale', table: rows, goals, notes: [`each size measured over ${MEASURE_MS / 1000} s after all endpoints are open; the lab runs in its own process on the same 2 cores.`, 'send skew is estimated from the rtt events (send time = receive time − rtt).'] });
