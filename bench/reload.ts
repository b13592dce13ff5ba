// Reload at scale: `wsmon run`'s SIGHUP path (the config file parsed a slice
// at a time, then reconciled with the running monitor, also in slices) with N endpoints at one heartbeat a
// second, of which 10 changed. How long the reload takes, which endpoints
// reconnect, and whether heartbeats stall: send skew and event-loop delay in
// the seconds around the reload against the same fleet's quiet seconds just
// before (the baseline, same run).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { reconcile, slicer } from '../src/core/app/reconcile';
import { Monitor } from '../src/core/engine/monitor';
import { parseConfigFile, parseConfigFileSliced } from '../src/shared/config-file';
import { fmt, quantile, report, startLabProcess, until } from './lib';

const N = Number(process.env.BENCH_RELOAD ?? 10_000);
const CHANGED = 10;
const WINDOW_MS = 5_000;
const lab = await startLabProcess();

/** The config file's text, as `wsmon run --config` reads it; `changed` endpoints point elsewhere (a reconnecting change). */
const fileText = (changed: number) =>
  JSON.stringify({
    version: 1,
    endpoints: Array.from({ length: N }, (_, i) => ({
      name: `n${i}`,
      url: `${lab.url}n${i}${i % Math.floor(N / CHANGED) === 0 && i / Math.floor(N / CHANGED) < changed ? '?v=2' : ''}`,
      heartbeat: { intervalMs: 1000, timeoutMs: 5000 },
    })),
  });

const monitor = new Monitor();
const open = new Set<string>();
const lastSent = new Map<string, number>();
let skew: number[] = [];
const connecting: string[] = [];
monitor.on((e) => {
  if (e.endpoint === undefined) return;
  if (e.type === 'open') open.add(e.endpoint);
  if (e.type === 'connecting') connecting.push(e.endpoint);
  if (e.type === 'rtt') {
    const sentAt = e.mono - e.rttMs;
    const prev = lastSent.get(e.endpoint);
    if (prev !== undefined) skew.push(Math.abs(sentAt - prev - 1000));
    lastSent.set(e.endpoint, sentAt);
  }
});
const first = parseConfigFile(fileText(0));
if (!first.ok) throw new Error('the generated config did not parse');
await reconcile(monitor, first.entries);
await until(() => open.size === N, 180_000);
await new Promise((r) => setTimeout(r, 3000)); // settle after the connect burst

/** Skew p99 and loop delay p99 over `ms`, with `during` run at its start. */
async function window(during: () => Promise<void>): Promise<{ skewP99: number; loopP99: number }> {
  skew = [];
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  await during();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  delay.disable();
  return { skewP99: quantile(skew, 0.99), loopP99: delay.percentile(99) / 1e6 };
}

const quiet = await window(async () => {});
connecting.length = 0;
let parseMs = 0;
let reconcileMs = 0;
let counts = { added: 0, updated: 0, removed: 0, unchanged: 0 };
const reloaded = await window(async () => {
  const t0 = performance.now();
  const text = fileText(CHANGED); // the file as read from disk
  const parsed = await parseConfigFileSliced(text, slicer());
  if (!parsed.ok) throw new Error('the changed config did not parse');
  const t1 = performance.now();
  const r = await reconcile(monitor, parsed.entries);
  const t2 = performance.now();
  parseMs = t1 - t0;
  reconcileMs = t2 - t1;
  counts = { added: r.added.length, updated: r.updated.length, removed: r.removed.length, unchanged: r.unchanged.length };
});
const reconnected = new Set(connecting);
await monitor.stop();
await lab.stop();

const totalMs = parseMs + reconcileMs;
report({
  title: 'Reload at scale',
  command: 'npm run bench -- reload',
  table: [
    [
      'endpoints',
      'changed',
      'parse (ms)',
      'reconcile (ms)',
      'reload (ms)',
      'reconnected',
      'send skew p99: quiet / reload window (ms)',
      'event-loop delay p99: quiet / reload window (ms)',
    ],
    [
      String(N),
      String(CHANGED),
      fmt(parseMs, 0),
      fmt(reconcileMs, 0),
      fmt(totalMs, 0),
      `${reconnected.size} (updated ${counts.updated}, unchanged ${counts.unchanged})`,
      `${fmt(quiet.skewP99, 1)} / ${fmt(reloaded.skewP99, 1)}`,
      `${fmt(quiet.loopP99, 1)} / ${fmt(reloaded.loopP99, 1)}`,
    ],
  ],
  goals: [
    {
      goal: `at ${N}: the reload takes ≤ 1 s`,
      met: totalMs <= 1000,
      measured: `${fmt(totalMs, 0)} ms (parse ${fmt(parseMs, 0)}, reconcile ${fmt(reconcileMs, 0)})`,
    },
    {
      goal: `only the ${CHANGED} changed endpoints reconnect`,
      met: reconnected.size === CHANGED && counts.updated === CHANGED,
      measured: `${reconnected.size} reconnected`,
    },
    {
      goal: 'heartbeats do not stall: send skew p99 in the reload window ≤ the quiet window’s + 25 ms',
      met: reloaded.skewP99 <= quiet.skewP99 + 25,
      measured: `${fmt(reloaded.skewP99, 1)} ms (quiet window ${fmt(quiet.skewP99, 1)} ms)`,
    },
  ],
  notes: [
    `${N} endpoints at one heartbeat a second against a lab process on the same 2 cores; the config file's text is generated, then parsed and reconciled as \`wsmon run\` does on SIGHUP (cli/run.ts: readConfigSliced, then core/app/reconcile.ts; both yield to the event loop every 8 ms of work), with ${CHANGED} endpoints' URLs changed.`,
    `each window is ${WINDOW_MS / 1000} s: the quiet one just before the reload (the baseline), the reload one from its start. Send skew: how far each heartbeat's spacing, from the rtt events, is from 1 s.`,
  ],
});
