// A past session log opened in the window: the same views, read-only.
import { expect, test } from '@playwright/test';
import { startWeb, watchProblems, type WebApp } from './web';

let web: WebApp;
test.beforeAll(async () => {
  web = await startWeb(['--open', 'test/fixtures/session.jsonl']);
});
test.afterAll(async () => {
  await web.stop();
});

test('opens a past session log read-only, with its endpoints, charts and events', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(web.url);
  await expect(page.getByRole('note')).toHaveText('Viewing test/fixtures/session.jsonl, read-only (24 events from 1 file, 1 unreadable line(s) skipped).');
  await expect(page.locator('aside li')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Add endpoint' })).toHaveCount(0);
  await page.locator('button[data-endpoint="api"]').click();
  await expect(page.getByRole('heading', { level: 2, name: 'api, "eu"' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeHidden();
  await expect(page.getByTestId('card-disconnects')).toHaveText('1');
  await expect
    .poll(() =>
      page.evaluate(() => {
        const c = document.querySelector('[data-testid="chart-rtt"]') as HTMLCanvasElement;
        return (globalThis as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: { data: unknown[] }[] } } } }).Chart.getChart(c).data.datasets[0]!.data.length;
      }),
    )
    .toBe(6);
  await expect(page.locator('.events tbody tr').first()).toContainText('open');
  expect(problems).toEqual([]);
});
