// History across restarts: `wsmon web --data DIR` stopped and started again
// shows the endpoint's records from the first run on its page, behind the
// second run's, with the time between the runs not drawn as monitored.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Lab } from '../../src/lab/server';
import { startWeb, watchProblems, type WebApp } from './web';

let lab: Lab;
let web: WebApp | null = null;

test.beforeAll(async () => {
  lab = await new Lab().start();
});
test.afterAll(async () => {
  await web?.stop();
  await lab.stop();
});

/** The RTT chart's points (x: wall ms; y: null where the line breaks). */
function rttPoints(page: Page): Promise<{ x: number; y: number | null }[]> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="chart-rtt"]') as HTMLCanvasElement;
    const chart = (
      globalThis as unknown as {
        Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: { label: string; data: { x: number; y: number | null }[] }[] } } };
      }
    ).Chart.getChart(canvas);
    return chart.data.datasets.find((d) => d.label === 'RTT')!.data.map((p) => ({ x: p.x, y: p.y }));
  });
}

test('history rebuilt across a restart of wsmon web --data: the first run’s samples, a break for the time between, uptime over 24 h', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-history-'));
  writeFileSync(
    join(dir, 'endpoints.json'),
    JSON.stringify({ version: 1, endpoints: [{ name: 'feed', url: lab.url('/feed', { pongDelay: 5 }), heartbeat: { intervalMs: 200, timeoutMs: 150 } }] }),
  );
  const problems = watchProblems(page);
  web = await startWeb(['--data', dir]);
  await page.goto(web.url);
  await page.locator('button[data-endpoint="feed"]').click();
  await expect.poll(async () => (await rttPoints(page)).length).toBeGreaterThanOrEqual(8);
  await web.stop();

  const restartedAt = Date.now();
  web = await startWeb(['--data', dir]);
  await page.goto(web.url);
  await page.locator('button[data-endpoint="feed"]').click();
  await page.getByRole('button', { name: '24 h' }).click();
  // The first run's samples are there, before this run began, and the line breaks once between the runs.
  await expect.poll(async () => (await rttPoints(page)).filter((p) => p.y !== null && p.x < restartedAt).length).toBeGreaterThanOrEqual(8);
  await expect.poll(async () => (await rttPoints(page)).filter((p) => p.x > restartedAt && p.y !== null).length).toBeGreaterThanOrEqual(2);
  const points = await rttPoints(page);
  const firstNew = points.findIndex((p) => p.x > restartedAt && p.y !== null);
  expect(points.slice(0, firstNew).some((p) => p.y === null)).toBe(true);
  await expect(page.getByTestId('card-uptime-day')).toHaveText(/^\d+(\.\d+)? %$/);
  // The records reach back only to the first run's start, and the card says so rather than claiming a whole day.
  await expect(page.locator('dd:has([data-testid="card-uptime-day"]) [data-testid="uptime-since"]')).toHaveText(/^since \d\d:\d\d$/);
  expect(problems).toEqual([]);
});

/** A chart's x axis (wall ms). */
function xRange(page: Page, testid: string): Promise<{ min: number; max: number }> {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`[data-testid="${id}"]`) as HTMLCanvasElement;
    const chart = (globalThis as unknown as { Chart: { getChart(c: HTMLCanvasElement): { scales: { x: { min: number; max: number } } } } }).Chart.getChart(
      canvas,
    );
    return { min: chart.scales.x.min, max: chart.scales.x.max };
  }, testid);
}

test('zoom by dragging across a chart, back with Escape or Back; or type a start and an end', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-zoom-'));
  writeFileSync(
    join(dir, 'endpoints.json'),
    JSON.stringify({ version: 1, endpoints: [{ name: 'feed', url: lab.url('/feed'), heartbeat: { intervalMs: 200, timeoutMs: 150 } }] }),
  );
  const problems = watchProblems(page);
  await web?.stop();
  web = await startWeb(['--data', dir]);
  await page.goto(web.url);
  await page.locator('button[data-endpoint="feed"]').click();
  await expect.poll(async () => (await rttPoints(page)).length).toBeGreaterThanOrEqual(10);
  const live = await xRange(page, 'chart-rtt');
  // Drag across the middle third of the RTT chart.
  const box = (await page.getByTestId('chart-rtt').boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.4, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('zoom-back')).toBeVisible();
  const zoomed = await xRange(page, 'chart-rtt');
  expect(zoomed.min).toBeGreaterThan(live.min);
  expect(zoomed.max).toBeLessThan(zoomed.min + (live.max - live.min) * 0.5);
  // Every chart of the page shows the same span, held still.
  expect(await xRange(page, 'chart-disconnects')).toEqual(zoomed);
  await expect.poll(() => xRange(page, 'chart-rtt')).toEqual(zoomed);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('zoom-back')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Pause charts' })).toBeVisible();

  // The longer ranges are under Range…, which then says which one is shown.
  await page.getByRole('button', { name: 'Range…' }).click();
  await page.getByRole('group', { name: 'Longer ranges' }).getByRole('button', { name: '30 d' }).click();
  await expect(page.getByRole('button', { name: '30 d…' })).toBeVisible();
  // Typed: a bad range is said in one sentence; a good one is shown, and Back returns.
  await page.getByRole('button', { name: '30 d…' }).click();
  const iso = (wall: number) => new Date(wall - new Date(wall).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  const now = Math.floor(Date.now() / 1000) * 1000;
  await page.getByLabel('From', { exact: true }).fill(iso(now));
  await page.getByLabel('To', { exact: true }).fill(iso(now - 20_000));
  await page.getByRole('button', { name: 'Show this range' }).click();
  await expect(page.getByRole('alert')).toHaveText('The start must be before the end.');
  await expect(page.getByLabel('From', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('From', { exact: true }).fill(iso(now - 20_000));
  await page.getByLabel('To', { exact: true }).fill(iso(now - 5_000));
  await page.getByRole('button', { name: 'Show this range' }).click();
  await expect.poll(() => xRange(page, 'chart-rtt')).toEqual({ min: now - 20_000, max: now - 5_000 });
  await page.getByTestId('zoom-back').click();
  await expect(page.getByRole('button', { name: 'Pause charts' })).toBeVisible();
  await expect(page.getByRole('button', { name: '30 d…' })).toBeVisible();
  expect((await xRange(page, 'chart-rtt')).max).toBeGreaterThan(now);
  expect(problems).toEqual([]);
});
