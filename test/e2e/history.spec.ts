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
