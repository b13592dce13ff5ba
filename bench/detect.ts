// 2. Dead-peer detection: 100 half-open peers (silent, socket kept open) at
// interval 1 s, timeout 500 ms, misses 2; time from each one's last answer to
// its heartbeat death, against the bound misses × interval + timeout.
import { Monitor } from '../src/core/engine/monitor';
import type { WsmonEvent } from '../src/shared/events';
import { fmt, median, quantile, report, startLabProcess, until } from './lib';
import { parseEndpoint } from '../src/shared/config';

const N = 100;
const BOUND = 2 * 1000 + 500;
const lab = await startLabProcess();
const monitor = new Monitor();
const lastAnswer = new Map<string, number>();
const detected = new Map<string, number>();
monitor.on((e: WsmonEvent) => {
  if (e.endpoint === undefined) return;
  if (e.type === 'rtt') lastAnswer.set(e.endpoint, e.mono);
  if (e.type === 'close' && e.initiator === 'heartbeat' && !detected.has(e.endpoint)) detected.set(e.endpoint, e.mono - (lastAnswer.get(e.endpoint) ?? NaN));
});
for (let i = 0; i < N; i++) {
  // Each peer goes silent at a different moment, so deaths spread over the heartbeat phase.
  monitor.add(
    parseEndpoint({
      url: `${lab.url}p${i}?silentAfter=${3000 + i * 37}`,
      name: `p${i}`,
      heartbeat: { intervalMs: 1000, timeoutMs: 500, misses: 2 },
      backoff: { initialMs: 600_000, maxMs: 600_000 },
    }),
  );
}
await until(() => detected.size === N, 60_000);
await monitor.stop();
await lab.stop();
const times = [...detected.values()];
const within = times.filter((t) => t <= BOUND + 50).length;
report({
  title: 'Dead-peer detection',
  command: 'npm run bench -- detect',
  table: [
    ['peers', 'detected', 'median (ms)', 'p99 (ms)', 'max (ms)', 'bound + 50 ms', 'within'],
    [String(N), String(times.length), fmt(median(times), 1), fmt(quantile(times, 0.99), 1), fmt(Math.max(...times), 1), String(BOUND + 50), `${within}/${N}`],
  ],
  goals: [{ goal: '100 % declared dead within misses × interval + timeout + 50 ms of their last answer', met: within === N, measured: `${within}/${N}` }],
});
