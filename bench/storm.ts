// 4. Reconnect storm: 1,000 endpoints on one lab server; the server restarts;
// jitter none vs full vs decorrelated. Peak upgrade requests in any 100 ms
// window, and how long until 99 % are back after the server is.
import { Monitor } from '../src/core/engine/monitor';
import type { JitterKind } from '../src/shared/config';
import { fmt, quantile, report, startLabProcess, until } from './lib';
import { parseEndpoint } from '../src/shared/config';

const N = Number(process.env.BENCH_STORM_N ?? 1000);
const MAX_MS = 5000;
const DOWN_MS = 3000;
const lab = await startLabProcess();

async function storm(jitter: JitterKind) {
  const monitor = new Monitor();
  const open = new Set<string>();
  const reopenedAt = new Map<string, number>();
  let restarted = false;
  monitor.on((e) => {
    if (e.type !== 'open' || e.endpoint === undefined) return;
    open.add(e.endpoint);
    if (restarted) reopenedAt.set(e.endpoint, Date.now());
  });
  for (let i = 0; i < N; i++)
    monitor.add(
      parseEndpoint({
        url: `${lab.url}s${i}`,
        name: `s${i}`,
        heartbeat: { intervalMs: 5000, timeoutMs: 2000 },
        backoff: { initialMs: 500, multiplier: 2, maxMs: MAX_MS, jitter },
      }),
    );
  await until(() => open.size === N, 60_000);
  restarted = true;
  const { upAt } = await lab.call<{ upAt: number }>({ op: 'restart', downMs: DOWN_MS });
  await until(() => reopenedAt.size >= N, MAX_MS * 4 + 10_000);
  const { upgrades } = await lab.call<{ upgrades: number[] }>({ op: 'upgrades' });
  await monitor.stop();
  upgrades.sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < upgrades.length; i++) {
    while (upgrades[i]! - upgrades[j]! >= 100) j++;
    peak = Math.max(peak, i - j + 1);
  }
  const back = [...reopenedAt.values()].map((t) => t - upAt);
  return { jitter, peak, p99: quantile(back, 0.99), reopened: reopenedAt.size, requests: upgrades.length };
}

const results = [];
for (const j of ['none', 'full', 'decorrelated'] as const) results.push(await storm(j));
await lab.stop();
const none = results[0]!;
const full = results[1]!;
report({
  title: 'Reconnect storm',
  command: 'npm run bench -- storm',
  table: [
    ['jitter', 'endpoints back', 'upgrade requests after restart', 'peak per 100 ms', 'p99 back after server up (ms)'],
    ...results.map((r) => [r.jitter, `${r.reopened}/${N}`, String(r.requests), String(r.peak), fmt(r.p99, 0)]),
  ],
  goals: [
    { goal: "with full jitter, the peak per 100 ms is ≤ 1/5 of none's", met: full.peak * 5 <= none.peak, measured: `${full.peak} vs ${none.peak}` },
    {
      goal: 'with full jitter, 99 % reconnected within max + 1 s after the server is back',
      met: full.p99 <= MAX_MS + 1000,
      measured: `${fmt(full.p99, 0)} ms (max ${MAX_MS} ms)`,
    },
  ],
  notes: [`server down ${DOWN_MS} ms; backoff initial 500 ms, multiplier 2, max ${MAX_MS} ms.`],
});
