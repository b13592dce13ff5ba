// A past session log opened in the window: the same views, read-only.
import { writeFileSync } from 'node:fs';
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
        const points = (
          globalThis as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: { data: { y: number | null }[] }[] } } } }
        ).Chart.getChart(c).data.datasets[0]!.data;
        return { samples: points.filter((p) => p.y !== null).length, breaks: points.filter((p) => p.y === null).length };
      }),
    )
    .toEqual({ samples: 6, breaks: 1 }); // the line breaks where the log's one outage began
  await expect(page.locator('.events tbody tr').first()).toContainText('open');
  expect(problems).toEqual([]);
});

test('a past log: a removed endpoint is shown as removed, no countdown is frozen on screen, nothing live is offered', async ({ page }) => {
  const t0 = Date.UTC(2026, 10, 22, 14, 0, 0);
  const line = (mono: number, body: object, endpoint?: string) =>
    JSON.stringify({ v: 1, ts: new Date(t0 + mono).toISOString(), mono, ...(endpoint ? { endpoint } : {}), ...body });
  const lines = [
    line(0, { type: 'session-start', app: 'wsmon', version: '0.1.0' }),
    line(1, { type: 'endpoint-added', name: 'gone', url: 'ws://gone.example/' }, 'gone'),
    line(2, { type: 'connecting', attempt: 0 }, 'gone'),
    line(10, { type: 'open', attempt: 0, handshakeMs: 8, protocol: '' }, 'gone'),
    line(500, { type: 'close', code: 1000, reason: 'wsmon: closing', wasClean: true, initiator: 'client', uptimeMs: 490 }, 'gone'),
    line(501, { type: 'endpoint-removed', name: 'gone', url: 'ws://gone.example/' }, 'gone'),
    line(600, { type: 'endpoint-added', name: 'kept', url: 'ws://kept.example/' }, 'kept'),
    line(601, { type: 'connecting', attempt: 0 }, 'kept'),
    line(605, { type: 'error', phase: 'connect', code: 'ECONNREFUSED', message: 'connection refused by kept.example:80 (nothing is listening there)' }, 'kept'),
    line(606, { type: 'reconnect-scheduled', attempt: 1, delayMs: 30_000 }, 'kept'),
    line(2000, { type: 'session-end', app: 'wsmon', version: '0.1.0' }),
  ];
  const path = 'test-results/e2e-removed.jsonl';
  writeFileSync(path, `${lines.join('\n')}\n`);
  const past = await startWeb(['--open', path]);
  try {
    const problems = watchProblems(page);
    await page.goto(past.url);
    await expect(page.locator('button[data-endpoint="gone"] .badge')).toHaveText('paused · removed');
    await expect(page.locator('button[data-endpoint="kept"] .badge')).toHaveAttribute('data-health', 'retrying');
    await expect(page.locator('button[data-endpoint="kept"] .badge')).not.toContainText('retry in');
    await expect(page.getByRole('button', { name: 'Pause charts' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Last 5 min' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Live 5 min' })).toHaveCount(0);
    expect(problems).toEqual([]);
  } finally {
    await past.stop();
  }
});
