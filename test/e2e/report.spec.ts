// The HTML report, opened offline in Chromium, renders its summary and charts.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { watchProblems } from './web';

test('the exported HTML report renders its charts offline, with no script and no error', async ({ page, context }) => {
  mkdirSync('test-results/screenshots', { recursive: true });
  const report = resolve('test-results/report.html');
  execFileSync(process.execPath, ['bin/wsmon.js', 'export', 'test/fixtures/session.jsonl', '--format', 'html', '-o', report], { stdio: 'pipe' });
  const requests: string[] = [];
  context.on('request', (r) => !r.url().startsWith('file:') && requests.push(r.url()));
  const problems = watchProblems(page);
  await page.goto(pathToFileURL(report).href);
  await expect(page.getByRole('heading', { name: 'wsmon session report' })).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(2);
  await expect(page.locator('tr[data-endpoint="api"] td').nth(2)).toHaveText('12.5 ms');
  await expect(page.locator('svg[role="img"]')).toHaveCount(8);
  const rttLine = page.locator('polyline[data-series="rtt"]').first();
  await expect(rttLine).toBeVisible();
  expect(((await rttLine.getAttribute('points')) ?? '').split(' ').length).toBeGreaterThanOrEqual(5);
  // The server close of api and the refused handshake of feed are charted; so are both reconnect attempts.
  await expect(page.locator('rect[data-series="disconnects"]')).toHaveCount(2);
  await expect(page.locator('rect[data-series="attempts"]')).toHaveCount(2);
  // feed's connect phase by phase (tcp, upgrade), and api's network RTT beside its RTT.
  await expect(page.locator('rect[data-series="phases"]')).toHaveCount(2);
  await expect(page.locator('polyline[data-series="network-rtt"]')).toHaveCount(1);
  await expect(page.locator('tr[data-endpoint="feed"] td').nth(9)).toHaveText('tcp 0.5 · upgrade 8.8 ms, slowest upgrade');
  const box = await page.locator('svg[role="img"]').first().boundingBox();
  expect(box!.width).toBeGreaterThan(200);
  // The same health model as the window, titled charts, outages shaded, whole counts on count axes.
  await expect(page.locator('tr[data-endpoint="feed"] td').nth(1)).toHaveText(/^(down|retrying|up|degraded|paused)( · .+)?$/);
  await expect(page.getByRole('heading', { level: 3, name: 'Reconnect attempts and their backoff delay' })).toHaveCount(2);
  for (const tick of await page.locator('svg[aria-label^="Disconnects"] text').allTextContents()) expect(tick).not.toMatch(/^\d+\.\d+$/);
  await page.screenshot({ path: 'test-results/screenshots/report.png', fullPage: true });
  // axe-core in both themes: serious and critical findings fail (contrast, landmarks, regions).
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const found = (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${colorScheme}: ${v.id} (${v.nodes.length})`);
    expect(found).toEqual([]);
  }
  expect(requests).toEqual([]);
  expect(problems).toEqual([]);
});
