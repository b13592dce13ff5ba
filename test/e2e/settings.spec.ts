// `wsmon web --data DIR`: the desktop app's engine in a browser. Settings are
// changed in the window and saved in DIR; down notices appear in the window
// and follow the mute settings.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { Lab } from '../../src/lab/server';
import { startWeb, watchProblems, type WebApp } from './web';

let dir: string;
let web: WebApp;
let lab: Lab;
const saved = () => JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { logRtt: string; muted: string[]; notifications: boolean };

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wsmon-data-'));
  lab = await new Lab().start();
  // Two endpoints on one server; when it stops, both go down at once. "quiet" is muted.
  const endpoint = (name: string) => ({ name, url: lab.url(`/${name}`), backoff: { initialMs: 60_000, maxMs: 60_000 }, alerts: { downAfterMs: 0 } });
  writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ version: 1, endpoints: [endpoint('quiet'), endpoint('loud')] }));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 1, muted: ['quiet'] }));
  web = await startWeb(['--data', dir]);
});
test.afterAll(async () => {
  await web.stop();
  await lab.stop();
});

test('shows down notices in the window, one for endpoints down together, except for muted endpoints; a notice opens its endpoint', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(web.url);
  await expect.poll(() => lab.clientCount).toBe(2);
  await expect(page.locator('aside li')).toHaveCount(2);
  await lab.stop();
  const notices = page.getByRole('status', { name: 'Notices' });
  // Both went down together: one notice, for their incident, naming the member that is not muted first.
  await expect(notices.locator('.notice')).toHaveCount(1);
  await expect(notices).toContainText('Incident: 127.0.0.1');
  await expect(notices).toContainText('loud, quiet');
  // For the README: the notice and the Settings panel.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.screenshot({ path: 'test-results/screenshots/settings.png' });
  await page.keyboard.press('Escape');
  await notices.getByRole('button', { name: /Incident: 127\.0\.0\.1/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'loud' })).toBeVisible();
  await notices.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notices.locator('.notice')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('changes settings in the window; they are saved in the data folder and kept across restarts', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('region', { name: 'Settings' });
  // No tray in a browser: the tray setting is not offered.
  await expect(panel.getByText('Keep monitoring in the tray')).toHaveCount(0);
  await expect(panel.getByRole('listitem')).toHaveText(['quiet Unmute']);

  await panel.getByLabel('Session log keeps').selectOption('minute');
  await expect.poll(() => saved().logRtt).toBe('minute');
  await panel.getByLabel('Notify when an endpoint goes down or recovers').uncheck();
  await expect.poll(() => saved().notifications).toBe(false);
  await panel.getByRole('listitem').getByRole('button', { name: 'Unmute' }).click();
  await expect.poll(() => saved().muted).toEqual([]);
  await expect(panel.getByText('No endpoint is muted')).toBeVisible();
  // What the runs' logs take, and how long they are kept.
  await expect(panel.getByTestId('log-usage')).toHaveText(/^1 run \(this one included\), \d+\.\d MiB on disk$/);
  await panel.getByLabel('Keep at most this many days').fill('7');
  await panel.getByLabel('Keep at most this many days').press('Tab');
  await expect.poll(() => (saved() as unknown as { logKeepDays: number }).logKeepDays).toBe(7);
  // How far back history reaches: the choices the settings describe, explained beside them.
  const historyKept = panel.getByLabel('History kept');
  await expect(historyKept).toHaveValue('365');
  await expect(historyKept.locator('option')).toHaveText(['7 days', '30 days', '90 days', '365 days']);
  await expect(historyKept).toHaveAccessibleDescription(/Fewer days hold less memory per endpoint/);
  await historyKept.selectOption('30');
  await expect.poll(() => (saved() as unknown as { historyDays: number }).historyDays).toBe(30);

  // Mute from the endpoint's page (Escape closes the panel).
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await page.locator('button[data-endpoint="loud"]').click();
  const mute = page.getByRole('button', { name: 'Mute notices' });
  await mute.click();
  await expect(page.getByRole('button', { name: 'Unmute notices' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => saved().muted).toEqual(['loud']);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(panel.getByRole('listitem')).toHaveText(['loud Unmute']);

  await web.stop();
  web = await startWeb(['--data', dir]);
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(panel.getByLabel('Session log keeps')).toHaveValue('minute');
  await expect(panel.getByLabel('Keep at most this many days')).toHaveValue('7');
  await expect(panel.getByLabel('History kept')).toHaveValue('30');
  await expect(panel.getByTestId('log-usage')).toHaveText(/^2 runs \(this one included\)/);
  await expect(panel.getByLabel('Notify when an endpoint goes down or recovers')).not.toBeChecked();
  await expect(panel.getByRole('listitem')).toHaveText(['loud Unmute']);
  await expect(page.locator('aside li')).toHaveCount(2);
  expect(problems).toEqual([]);
});

test('the header panels: one open at a time, closed by a click outside or by going to another view, never wider than an 800 px window', async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto(web.url);
  const transfer = page.locator('#transfer-panel');
  const settings = page.getByRole('region', { name: 'Settings' });
  await page.getByRole('button', { name: 'Import / export' }).click();
  await expect(transfer).toBeVisible();
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  expect(await fits()).toBe(true);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(settings).toBeVisible();
  await expect(transfer).toBeHidden();
  expect(await fits()).toBe(true);
  // A click outside closes it.
  await page.locator('main').click({ position: { x: 520, y: 200 } }); // right of the panel, which is taller than main's top
  await expect(settings).toHaveCount(0);
  // Going to another view closes it too (by keyboard here: no click outside).
  await page.getByRole('button', { name: 'Import / export' }).click();
  await expect(transfer).toBeVisible();
  await page.getByRole('button', { name: 'Add endpoint' }).focus();
  await page.keyboard.press('Enter');
  await expect(transfer).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Add endpoint' })).toBeVisible();
  expect(problems).toEqual([]);
});
