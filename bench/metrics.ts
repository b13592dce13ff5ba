// Prometheus scrapes at scale: N endpoints at the default heartbeat, open
// against a lab process and each answered at least once, served on /metrics
// as `wsmon run --metrics` serves them; three scrapes each, timed, and the
// longest the event loop was held while one was made (the heartbeats' answers
// wait that long to be read, and their RTT with them). 1,000 endpoints first:
// the baseline in the same run.
import { get } from 'node:http';
import { Monitor } from '../src/core/engine/monitor';
import { Records } from '../src/core/record/records';
import { createMetrics, serveMetrics } from '../src/cli/metrics';
import { parseEndpoint } from '../src/shared/config';
import { fmt, median, report, startLabProcess, until } from './lib';

const SIZES = (process.env.BENCH_METRICS ?? '1000,10000').split(',').map(Number);
const SCRAPES = 3;
const lab = await startLabProcess();

interface Run {
  n: number;
  scrapeMs: number;
  bytes: number;
  lines: number;
  heldMs: number;
}

/** A scrape read as Prometheus reads it, counted as it comes (holding 75 MB as one string would hold this loop too). */
const scrape = (url: string) =>
  new Promise<{ bytes: number; lines: number; ms: number }>((resolve, reject) => {
    const t = performance.now();
    get(url, (res) => {
      let bytes = 0;
      let lines = 0;
      res.on('data', (d: Buffer) => {
        bytes += d.length;
        for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => resolve({ bytes, lines, ms: performance.now() - t }));
    }).on('error', reject);
  });

async function measure(n: number): Promise<Run> {
  const monitor = new Monitor();
  const records = Records.follow(monitor);
  const metrics = createMetrics(monitor, records, 'bench');
  const server = await serveMetrics(metrics, '127.0.0.1', 0);
  let answered = 0;
  const seen = new Set<string>();
  monitor.on(() => {}, { rtt: (id) => void (seen.has(id) || (seen.add(id), answered++)) });
  for (let i = 0; i < n; i++) monitor.add(parseEndpoint({ url: `${lab.url}m${i}`, name: `svc-${i}`, tags: [`t-${i % 500}`] }));
  await until(() => answered === n, 120_000);
  const times: number[] = [];
  const held: number[] = [];
  let last = { bytes: 0, lines: 0 };
  for (let i = 0; i < SCRAPES; i++) {
    // The longest gap between two turns of a 5 ms timer: how long the loop was held at once.
    let lastTurn = performance.now();
    let longest = 0;
    const turns = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - lastTurn);
      lastTurn = now;
    }, 5);
    const r = await scrape(server.url);
    clearInterval(turns);
    times.push(r.ms);
    held.push(longest);
    last = r;
  }
  await server.close();
  await monitor.stop();
  return { n, scrapeMs: median(times), bytes: last.bytes, lines: last.lines, heldMs: median(held) };
}

const runs: Run[] = [];
for (const n of SIZES) runs.push(await measure(n));
await lab.stop();
const base = runs[0]!;
const big = runs.at(-1)!;
report({
  title: 'Prometheus scrapes at scale',
  command: 'npm run bench -- metrics',
  table: [
    ['measure', ...runs.map((r) => `${r.n.toLocaleString('en')} endpoints`)],
    ['one scrape (ms, median of 3)', ...runs.map((r) => fmt(r.scrapeMs, 0))],
    ['size (MB), lines', ...runs.map((r) => `${fmt(r.bytes / 1e6, 1)}, ${r.lines.toLocaleString('en')}`)],
    ['longest the event loop was held during a scrape (ms, median of 3)', ...runs.map((r) => fmt(r.heldMs, 0))],
  ],
  goals: [
    {
      goal: `${big.n.toLocaleString('en')} endpoints: a scrape holds the event loop ≤ 100 ms at a time`,
      met: big.heldMs <= 100,
      measured: `${fmt(big.heldMs, 0)} ms (the ${base.n.toLocaleString('en')}'s: ${fmt(base.heldMs, 0)} ms)`,
    },
    {
      goal: `${big.n.toLocaleString('en')} endpoints: a scrape's time grows no faster than its size`,
      met: big.scrapeMs / big.bytes <= 1.5 * (base.scrapeMs / base.bytes),
      measured: `${fmt(big.scrapeMs / big.bytes / (base.scrapeMs / base.bytes), 2)}× the ${base.n.toLocaleString('en')}'s per byte`,
    },
  ],
  notes: [
    'each size: N endpoints at the default heartbeat (10 s) against a lab process, measured once every one has answered; the scrape is an HTTP GET from the same process (its time includes reading the answer). The event loop held: the longest gap between two turns of a 5 ms timer during the scrape (the loop-delay histogram of perf_hooks missed most of a 4 s block in trials, so it is not used).',
  ],
});
