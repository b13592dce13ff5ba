// node scripts/screenshots.mjs [SECONDS]: the README's screenshots from a real
// run of `wsmon demo --web` after SECONDS (default 300) of monitoring, in
// Chromium: the overview and an endpoint's page in both themes at 1440×900,
// its frames, the list, the form with its error summary, and an endpoint's page at 800×600.
// Writes docs/screenshots/*.png. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const seconds = Number(process.argv[2] ?? 300);
const OUT = 'docs/screenshots';
const demo = spawn(process.execPath, ['bin/wsmon.js', 'demo', '--web', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  let err = '';
  demo.stderr.on('data', (d) => {
    err += d.toString();
    const m = /wsmon web: (\S+)/.exec(err);
    if (m) resolve(m[1]);
  });
  demo.on('exit', (code) => reject(new Error(`wsmon demo exited with ${code}: ${err}`)));
});
console.log(`monitoring for ${seconds} s: ${url}`);
// However this ends, the demo (and its servers) go with it.
process.on('exit', () => demo.kill('SIGINT'));
await new Promise((r) => setTimeout(r, seconds * 1000));

const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath: existsSync(exe) ? exe : undefined, args: ['--no-sandbox', '--disable-gpu'] });
for (const scheme of ['light', 'dark']) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
  const suffix = scheme === 'dark' ? '-dark' : '';
  await page.goto(url);
  await page.locator('.heat-rows li').nth(5).waitFor();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${OUT}/overview${suffix}.png` });
  if (scheme === 'light') await page.locator('aside').screenshot({ path: `${OUT}/list.png` });
  await page.locator('button[data-endpoint="demo-flaky"]').click();
  await page.getByTestId('card-rtt-last').waitFor();
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `${OUT}/detail${suffix}.png` });
  if (scheme === 'light') {
    // The frame inspector of the same endpoint, heartbeats hidden: its server's last close frame (1011 "overloaded")
    // selected, the handshake open.
    const frames = page.locator('section.frames');
    await frames.scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Pause frames' }).click();
    await page.getByLabel('Hide heartbeats').check();
    await frames.locator('.frames-body [role=row]', { hasText: '← in' }).filter({ hasText: 'close' }).last().click();
    await page.getByTestId('handshake').locator('summary').click();
    await frames.screenshot({ path: `${OUT}/frames.png` });
  }
  if (scheme === 'light') {
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByLabel('URL', { exact: true }).fill('http://example.com/');
    await page.locator('summary', { hasText: 'Timeouts and backoff' }).click();
    await page.getByLabel('Max delay', { exact: true }).fill('100ms');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByTestId('error-summary').waitFor();
    await page.screenshot({ path: `${OUT}/form.png` });
  }
  await page.close();
}
const small = await browser.newPage({ viewport: { width: 800, height: 600 } });
await small.goto(url);
await small.locator('button[data-endpoint="demo-refused"]').click();
await small.getByTestId('card-rtt-last').waitFor();
await small.waitForTimeout(2500);
await small.screenshot({ path: `${OUT}/detail-800x600.png` });
await browser.close();
demo.kill('SIGINT');
await new Promise((r) => demo.once('exit', r));
console.log(`written to ${OUT}/`);
