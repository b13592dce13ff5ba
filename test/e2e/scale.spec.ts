// Ten thousand endpoints in one `wsmon web`: the window opens, holds a
// screenful of rows (not ten thousand), finds the one planted down by the
// health filter, and reaches the last row by keyboard. No timing is asserted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { Lab } from '../../src/lab/server';
import { startWeb, watchProblems, type WebApp } from './web';

const N = 10_000;
let lab: Lab;
let web: WebApp;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  lab = await new Lab().start();
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-scale-'));
  // Slow heartbeats: the point is the number of endpoints, not the load.
  const quiet = { heartbeat: { intervalMs: 60_000, timeoutMs: 10_000 } };
  const endpoints = Array.from({ length: N - 1 }, (_, i) => ({ name: `svc-${i}`, url: lab.url(`/svc${i}`), ...quiet, tags: [`rack-${i % 40}`] }));
  // Planted in the middle: refused with 503, down after a second.
  endpoints.splice(4321, 0, {
    name: 'planted-broken',
    url: lab.url('/planted', { refuse: 503 }),
    ...quiet,
    tags: ['rack-1'],
    alerts: { downAfterMs: 1000 },
  } as (typeof endpoints)[number]);
  const config = join(dir, 'endpoints.json');
  writeFileSync(config, JSON.stringify({ version: 1, endpoints }));
  web = await startWeb(['--config', config]);
});

test.afterAll(async () => {
  await web?.stop();
  await lab?.stop();
});

test('10,000 endpoints: a screenful of rows drawn, the planted down one found by the health filter, the last row reached by keyboard', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchProblems(page);
  await page.goto(web.url);
  const summary = page.getByTestId('summary');
  await expect(summary).toContainText('1 down', { timeout: 120_000 });
  // The list is as long as ten thousand rows, but holds only those in sight and around them.
  const rows = page.locator('aside li');
  expect(await rows.count()).toBeGreaterThan(5);
  expect(await rows.count()).toBeLessThanOrEqual(200);
  await expect(page.getByRole('list', { name: /^Endpoints, 10000 shown/ })).toBeVisible();

  // The health filter, over all of them.
  await page.getByRole('combobox', { name: 'Health' }).selectOption('down');
  await expect(page.getByRole('list', { name: /^Endpoints, 1 shown/ })).toBeVisible();
  await expect(page.locator('aside .name')).toHaveText(['planted-broken']);
  await expect(page.locator('aside [data-health]')).toHaveAttribute('data-health', 'down');
  await expect(page.locator('aside [data-health]')).toContainText('HTTP 503');
  await page.locator('aside .name', { hasText: 'planted-broken' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /planted-broken/ })).toBeVisible();

  // Back to all, by name: End on the list goes to the last of the ten thousand, drawn when it comes into sight.
  await page.getByRole('combobox', { name: 'Health' }).selectOption('all');
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('name');
  // All of them again before End: the filtered list's first row is the same one, and End on a list of one stays there
  // (a loaded machine pressed it before the new page came, once).
  await expect(page.getByRole('list', { name: /^Endpoints, 10000 shown/ })).toBeVisible();
  await expect(page.locator('aside .name').first()).toHaveText('planted-broken');
  await page.locator('aside li button').first().focus();
  await page.keyboard.press('End');
  await expect(page.locator('aside li button:focus')).toHaveAttribute('data-endpoint', 'svc-9998');
  await expect(page.locator('aside li button:focus')).toHaveAttribute('data-index', String(N - 1));
  expect(await rows.count()).toBeLessThanOrEqual(200);
  // The overview's rows too: a page of them, its header summing up all.
  await page.getByRole('button', { name: 'Overview', exact: true }).click();
  await expect(page.getByRole('heading', { level: 3, name: /1 down/ })).toBeVisible();
  expect(await page.getByTestId('heat-row').count()).toBeLessThanOrEqual(200);

  // 1,200 more from a file: sent in parts of 500, the progress said, added at the last part, the list's count following.
  const more = join(mkdtempSync(join(tmpdir(), 'wsmon-scale-import-')), 'more.json');
  const extra = Array.from({ length: 1200 }, (_, i) => ({ name: `more-${i}`, url: lab.url(`/more${i}`), heartbeat: { intervalMs: 60_000 } }));
  writeFileSync(more, JSON.stringify({ version: 1, endpoints: [{ name: 'svc-7', url: lab.url('/svc7') }, ...extra] }));
  await page.getByRole('button', { name: 'Import / export' }).click();
  await page.getByLabel('Endpoint list file to import').setInputFiles(more);
  await expect(page.getByRole('status').filter({ hasText: 'more.json' })).toContainText(
    'Imported 1200 of 1201 endpoint(s) from more.json; already present: #1 svc-7.',
    { timeout: 60_000 },
  );
  await expect(page.getByRole('list', { name: /^Endpoints, 11200 shown/ })).toBeVisible();
  expect(problems).toEqual([]);
});
