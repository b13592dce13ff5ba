// 6. Screen: Chromium through `wsmon web` with 500 endpoints at 1 Hz for 60 s,
// the overview on screen: bridge messages per second and long tasks while
// streaming; then a detail
// chart over 24 h of 1 Hz data (86,400 samples) drawn with the window's options.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { fmt, report, startLabProcess } from './lib';

const N = Number(process.env.BENCH_SCREEN_N ?? 500);
const STREAM_MS = Number(process.env.BENCH_SCREEN_MS ?? 60_000);
const lab = await startLabProcess();
const args = Array.from({ length: N }, (_, i) => `e${i}=${lab.url}e${i}?pongJitter=20`);
const web = spawn(process.execPath, ['bin/wsmon.js', 'web', ...args, '--ping-interval', '1s'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => {
  let out = '';
  web.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /wsmon web: (\S+)/.exec(out);
    if (m) resolve(m[1]!);
  });
});
const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath: existsSync(exe) ? exe : undefined,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
let frames = 0;
page.on('websocket', (ws) => ws.on('framereceived', () => frames++));
await page.addInitScript(() => {
  const w = window as unknown as { longTasks: number[] };
  w.longTasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
});
await page.goto(url);
await page
  .locator('aside li')
  .nth(N - 1)
  .waitFor();
await page.waitForTimeout(3000); // let the first burst of opens pass
frames = 0;
await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks.length = 0));
// Profiling (npm run bench -- screen --cpu-prof): the page's own CPU profile over the window, through CDP.
const profileDir = process.env.BENCH_PROFILE_DIR;
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
  writeFileSync(join(profileDir, 'screen-renderer.cpuprofile'), JSON.stringify(profile));
}
const perSecond = frames / (STREAM_MS / 1000);
const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);

// 24 h at 1 Hz in one chart, drawn as the detail view draws it (no parsing, min-max decimation, no animation).
const drawMs = await page.evaluate(async () => {
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
web.kill('SIGINT');
await new Promise((r) => web.once('exit', r));
await lab.stop();
const over50 = longTasks.filter((d) => d > 50);
report({
  title: 'Screen',
  command: 'npm run bench -- screen',
  table: [
    ['measure', 'value'],
    [`bridge messages per second (${N} endpoints at 1 Hz, ${STREAM_MS / 1000} s)`, fmt(perSecond, 1)],
    ['long tasks while streaming (count, longest)', `${longTasks.length}, ${fmt(Math.max(0, ...longTasks), 0)} ms`],
    ['24 h chart (86,400 samples) first draw', `${fmt(drawMs, 0)} ms`],
  ],
  goals: [
    { goal: '≤ 10 bridge messages/s', met: perSecond <= 10, measured: fmt(perSecond, 1) },
    { goal: 'no long task over 50 ms while streaming', met: over50.length === 0, measured: `${over50.length} over 50 ms` },
    { goal: 'the 24 h chart drawn in ≤ 100 ms', met: drawMs <= 100, measured: `${fmt(drawMs, 0)} ms` },
  ],
  notes: ['Messages counted are every WebSocket frame the page received: batched updates plus the answers to the history/overview calls the open view makes.'],
});
