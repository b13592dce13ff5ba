// 6. Screen: Chromium through `wsmon web --config` with N endpoints at 1 Hz
// (500, the baseline, then 10,000, in the same run), the overview on screen:
// how soon the list's first rows paint, bridge messages per second and long
// tasks over STREAM_MS of streaming, and a filter keystroke to its repaint;
// then a detail chart over 24 h of 1 Hz data (86,400 samples) drawn with the
// window's options.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { fmt, median, report, startLabProcess } from './lib';

const SIZES = (process.env.BENCH_SCREEN ?? '500,10000').split(',').map(Number);
const STREAM_MS = Number(process.env.BENCH_SCREEN_MS ?? 60_000);
const KEYSTROKES = 7;
const lab = await startLabProcess();
const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath: existsSync(exe) ? exe : undefined,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const profileDir = process.env.BENCH_PROFILE_DIR;

interface Run {
  n: number;
  firstPaintMs: number;
  settledMs: number;
  perSecond: number;
  longTasks: number[];
  filterMs: number[];
  rssMb: number;
}

async function measure(n: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-screen-'));
  const config = join(dir, 'endpoints.json');
  const endpoints = Array.from({ length: n }, (_, i) => ({ name: `e${i}`, url: `${lab.url}e${i}?pongJitter=20`, heartbeat: { intervalMs: 1000 } }));
  writeFileSync(config, JSON.stringify({ version: 1, endpoints }));
  const web = spawn(process.execPath, ['bin/wsmon.js', 'web', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => {
    let out = '';
    web.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /wsmon web: (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  let frames = 0;
  page.on('websocket', (ws) => ws.on('framereceived', () => frames++));
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  });
  // First paint of the list: from asking for the page to its first endpoint row on screen.
  const opened = Date.now();
  await page.goto(url);
  await page.locator('aside li').first().waitFor();
  const firstPaintMs = Date.now() - opened;
  // Until every endpoint is up (the connect burst over), then the window measured.
  await page
    .getByTestId('summary')
    .filter({ hasText: new RegExp(`^${n} up$`) })
    .waitFor({ timeout: 300_000 });
  const settledMs = Date.now() - opened;
  await page.waitForTimeout(3000);
  frames = 0;
  await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks.length = 0));
  const cdp = profileDir ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await page.waitForTimeout(STREAM_MS); // the measurement window itself
  if (cdp && profileDir) {
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, `screen-${n}-renderer.cpuprofile`), JSON.stringify(profile));
  }
  const perSecond = frames / (STREAM_MS / 1000);
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const filterMs: number[] = [];
  for (let k = 0; k < KEYSTROKES; k++) filterMs.push(await keystroke(page, `e${Math.floor(((k + 1) * n) / (KEYSTROKES + 2))}`));
  const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${web.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  await page.close();
  web.kill('SIGINT');
  await new Promise((r) => web.once('exit', r));
  return { n, firstPaintMs, settledMs, perSecond, longTasks, filterMs, rssMb };
}

/**
 * A keystroke in the list's filter to the frame that shows its result: the text typed ends the filter (the name of
 * one endpoint, so the list's first row changes to it), timed in the page from the input event to the frame after
 * the row is there. The filter is cleared after, and its list awaited.
 */
async function keystroke(page: Page, name: string): Promise<number> {
  const ms = await page.evaluate(async (name) => {
    const input = document.querySelector<HTMLInputElement>('aside input[type="search"]')!;
    const shows = () => document.querySelector('aside li [data-endpoint]')?.getAttribute('data-endpoint') === name;
    const start = performance.now();
    input.value = name;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise<void>((resolve) => {
      const check = () => (shows() ? resolve() : requestAnimationFrame(check));
      check();
    });
    await new Promise(requestAnimationFrame);
    return performance.now() - start;
  }, name);
  await page.locator('aside input[type="search"]').fill('');
  await page.waitForFunction(() => document.querySelectorAll('aside li').length > 5);
  return ms;
}

const runs: Run[] = [];
for (const n of SIZES) runs.push(await measure(n));

// 24 h at 1 Hz in one chart, drawn as the detail view draws it (no parsing, min-max decimation, no animation), by
// the same Chart.js the window bundles.
const chartPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await chartPage.addScriptTag({ path: 'node_modules/chart.js/dist/chart.umd.js' });
const drawMs = await chartPage.evaluate(async () => {
  const Chart = (globalThis as unknown as { Chart: new (c: HTMLCanvasElement, cfg: unknown) => { destroy(): void } }).Chart;
  const canvas = document.createElement('canvas');
  const box = document.createElement('div');
  box.style.width = '1000px';
  box.style.height = '220px';
  box.appendChild(canvas);
  document.body.appendChild(box);
  const t0 = Date.now() - 86_400_000;
  const data = Array.from({ length: 86_400 }, (_, i) => ({ x: t0 + i * 1000, y: 20 + Math.sin(i / 500) * 5 + ((i * 7919) % 13) }));
  const start = performance.now();
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [{ label: 'RTT', data, borderWidth: 1, pointRadius: 0 }] },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: false,
      plugins: { decimation: { enabled: true, algorithm: 'min-max' }, legend: { display: false } },
      scales: { x: { type: 'linear', min: t0, max: t0 + 86_400_000 }, y: { beginAtZero: true } },
    },
  });
  await new Promise(requestAnimationFrame);
  const ms = performance.now() - start;
  chart.destroy();
  return ms;
});
await browser.close();
await lab.stop();

const over50 = (r: Run) => r.longTasks.filter((d) => d > 50).length;
const base = runs[0]!;
const big = runs.at(-1)!;
report({
  title: 'Screen',
  command: 'npm run bench -- screen',
  table: [
    ['measure', ...runs.map((r) => `${r.n.toLocaleString('en')} endpoints`)],
    ['first paint of the list after the page opens', ...runs.map((r) => `${fmt(r.firstPaintMs, 0)} ms`)],
    ['every endpoint up in the list after the page opens', ...runs.map((r) => `${fmt(r.settledMs / 1000, 1)} s`)],
    [`bridge messages per second (1 Hz heartbeats, ${STREAM_MS / 1000} s, overview open)`, ...runs.map((r) => fmt(r.perSecond, 1))],
    ['long tasks while streaming (count, longest)', ...runs.map((r) => `${r.longTasks.length}, ${fmt(Math.max(0, ...r.longTasks), 0)} ms`)],
    [
      `filter keystroke to repaint (median, worst of ${KEYSTROKES})`,
      ...runs.map((r) => `${fmt(median(r.filterMs), 0)} ms, ${fmt(Math.max(...r.filterMs), 0)} ms`),
    ],
    ['wsmon web resident memory', ...runs.map((r) => `${fmt(r.rssMb, 0)} MB`)],
    ['24 h chart (86,400 samples) first draw', `${fmt(drawMs, 0)} ms`, ...runs.slice(1).map(() => '')],
  ],
  goals: [
    ...runs.map((r) => ({ goal: `${r.n.toLocaleString('en')}: ≤ 10 bridge messages/s`, met: r.perSecond <= 10, measured: fmt(r.perSecond, 1) })),
    ...runs.map((r) => ({
      goal: `${r.n.toLocaleString('en')}: no long task over 50 ms while streaming`,
      met: over50(r) === 0,
      measured: `${over50(r)} over 50 ms`,
    })),
    { goal: `${big.n.toLocaleString('en')}: first paint of the list ≤ 2 s`, met: big.firstPaintMs <= 2000, measured: `${fmt(big.firstPaintMs, 0)} ms` },
    {
      goal: `${big.n.toLocaleString('en')}: filter keystroke to repaint ≤ 100 ms (worst)`,
      met: Math.max(...big.filterMs) <= 100,
      measured: `${fmt(Math.max(...big.filterMs), 0)} ms (${fmt(median(big.filterMs) / median(base.filterMs), 2)}× the ${base.n}'s median)`,
    },
    { goal: 'the 24 h chart drawn in ≤ 100 ms', met: drawMs <= 100, measured: `${fmt(drawMs, 0)} ms` },
  ],
  notes: [
    'Messages counted are every WebSocket frame the page received: batched updates plus the answers to the history/overview calls the open view makes.',
    'The window holds the rows in sight and around them (a page of at most 200); the list is filtered, sorted and grouped over every endpoint in wsmon web, and its page pushed again when its order changes (at most once a second).',
  ],
});
