// The frame inspector as a user drives it: the built window served by
// `wsmon web`, in Chromium, against the lab on 127.0.0.1.
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { Lab } from '../../src/lab/server';
import { startWeb, watchProblems, type WebApp } from './web';

const SHOTS = 'test-results/screenshots';
let lab: Lab;
let web: WebApp;

test.describe.configure({ mode: 'serial' });

const SAID = '{"event":"quote","token":"zzz-secret-1","px":[1,2]}';
const ANSI = '\u001b[2J\u001b[31mred alert';

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  lab = await new Lab().start();
  web = await startWeb([
    `feed=${lab.url('/feed', { say: SAID, tick: 150, oversized: 6 })}`,
    `flood=${lab.url('/flood', { flood: 3000, floodSize: 40, say: ANSI })}`,
    '--ping-interval',
    '300ms',
    '--frames-count',
    '5000',
    '--frames-bytes',
    '1048576',
    '--header',
    'Authorization: Bearer hunter2-hunter2',
  ]);
});

test.afterAll(async () => {
  await web.stop();
  await lab.stop();
});

async function openEndpoint(page: Page, name: string): Promise<void> {
  await page.goto(web.url);
  await page.locator(`button[data-endpoint="${name}"]`).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Frames, newest last' });
const rowsText = (page: Page) => grid(page).locator('.frames-body [role=row]').allInnerTexts();

test('shows what was said, live; filters by direction, type, pattern and heartbeats; a bad pattern is one sentence', async ({ page }) => {
  const problems = watchProblems(page);
  await openEndpoint(page, 'feed');
  await expect(grid(page).locator('.frames-body [role=row]').first()).toBeVisible();
  await expect(page.getByTestId('frames-status')).toContainText(/Showing \d+ of \d+ frames/);
  // Live: ticks keep arriving while following.
  const count = async () => Number(/of (\d+) frames/.exec((await page.getByTestId('frames-status').innerText()) ?? '')?.[1]);
  const before = await count();
  await expect.poll(count).toBeGreaterThan(before);

  await page.getByLabel('Direction').selectOption('out');
  for (const row of await rowsText(page)) expect(row).toContain('→ out');
  await page.getByLabel('Direction').selectOption('all');
  await page.getByLabel('Frame type').selectOption('binary');
  await expect(grid(page).locator('.frames-body [role=row]')).toHaveCount(1);
  expect((await rowsText(page))[0]).toContain('000000000000');
  await page.getByLabel('Frame type').selectOption('all');

  await page.getByLabel('Hide heartbeats').check();
  for (const row of await rowsText(page)) expect(row).not.toMatch(/ping|pong/);
  await page.getByLabel('Hide heartbeats').uncheck();

  await page.getByLabel('Pattern').fill('"event":"quote"');
  await expect(grid(page).locator('.frames-body [role=row]')).toHaveCount(1);
  const quote = (await rowsText(page))[0]!;
  // Masked: a secret-shaped field.
  expect(quote).toContain('"token":"***"');
  await page.getByLabel('Pattern').fill('(a');
  await expect(page.locator('#frames-pattern-problem')).toContainText('invalid regular expression');
  await expect(page.getByLabel('Pattern')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Pattern').fill('');
  expect(problems).toEqual([]);
});

test('pause freezes the list while frames keep coming; follow catches up', async ({ page, context }) => {
  await openEndpoint(page, 'feed');
  await expect(grid(page).locator('.frames-body [role=row]').first()).toBeVisible();
  await page.getByRole('button', { name: 'Pause frames' }).click();
  await expect(page.getByRole('button', { name: 'Pause frames' })).toHaveAttribute('aria-pressed', 'true');
  const frozen = await page.getByTestId('frames-status').innerText();
  expect(frozen).toContain('paused');
  // A second window, following, sees five more frames arrive; the paused one has not moved meanwhile.
  const other = await context.newPage();
  await openEndpoint(other, 'feed');
  const seqOf = async (p: Page) => Number(await grid(p).locator('.frames-body [role=row]').last().getAttribute('aria-rowindex'));
  await expect(grid(other).locator('.frames-body [role=row]').first()).toBeVisible();
  const pausedRows = await seqOf(page);
  await expect.poll(() => seqOf(other)).toBeGreaterThan(pausedRows + 5);
  await expect(page.getByTestId('frames-status')).toHaveText(frozen);
  expect(await seqOf(page)).toBe(pausedRows);
  await page.getByRole('button', { name: 'Pause frames' }).click();
  await expect(page.getByRole('button', { name: 'Pause frames' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('frames-status')).not.toHaveText(frozen);
});

test('by keyboard: one tab stop, arrows and Home/End move the selection; its whole payload shows (pretty JSON) and copies', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEndpoint(page, 'feed');
  await page.getByLabel('Pattern').fill('quote|tick');
  await expect(grid(page).locator('.frames-body [role=row]').first()).toBeVisible();
  await page.getByRole('button', { name: 'Pause frames' }).click();
  await grid(page).locator('.frames-body [role=row][tabindex="0"]').focus();
  await page.keyboard.press('Home');
  const first = grid(page).locator('.frames-body [role=row]').first();
  await expect(first).toBeFocused();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(grid(page).locator('.frames-body [role=row][tabindex="0"]')).toHaveCount(1);
  const detail = page.getByTestId('frame-detail');
  await expect(detail.locator('pre')).toContainText('"event": "quote"');
  await expect(detail.locator('pre')).toContainText('"token": "***"');
  await page.keyboard.press('ArrowDown');
  await expect(grid(page).locator('[role=row][aria-rowindex="3"]')).toBeFocused();
  await expect(detail.locator('pre')).toContainText('tick');
  await page.keyboard.press('ArrowUp');
  await detail.getByRole('button', { name: 'Copy payload' }).click();
  await expect(page.getByText(/Copied frame #\d+'s payload/)).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('"token":"***"');
  expect(copied).not.toContain('zzz-secret-1');
  // Back from the button to the grid's one tab stop, the selected row; End goes to the last frame.
  await page.keyboard.press('Shift+Tab');
  await expect(grid(page).locator('.frames-body [role=row][aria-selected="true"]')).toBeFocused();
  await page.keyboard.press('End');
  await expect(grid(page).locator('.frames-body [role=row]').last()).toBeFocused();
});

test('the handshake panel shows the request and the answer, secrets masked', async ({ page }) => {
  await openEndpoint(page, 'feed');
  const panel = page.getByTestId('handshake');
  await expect(panel.locator('summary')).toContainText('101 Switching Protocols');
  await panel.locator('summary').click();
  await expect(panel.getByRole('table', { name: 'Request headers' })).toContainText('Authorization***');
  await expect(panel.getByRole('table', { name: 'Response headers' })).toContainText(/Sec-WebSocket-Accept/i);
  await expect(panel).not.toContainText('hunter2');
  await page.screenshot({ path: `${SHOTS}/frames.png`, fullPage: true });
});

test('virtualized: thousands of frames, only the rows in sight in the page; scrolling shows the others', async ({ page }) => {
  await openEndpoint(page, 'flood');
  await expect(page.getByTestId('frames-status')).toContainText(/of (3\d{3}) frames/);
  const rowcount = Number(await grid(page).getAttribute('aria-rowcount'));
  expect(rowcount).toBeGreaterThan(3000);
  expect(await grid(page).locator('.frames-body [role=row]').count()).toBeLessThan(60);
  // What a peer says is shown, never obeyed: its escape sequences show as text.
  await page.getByLabel('Pattern').fill('red alert');
  await expect(grid(page).locator('.frames-body [role=row]')).toHaveCount(1);
  await expect(grid(page).locator('.frames-body [role=row]')).toContainText('\\x1b[2J\\x1b[31mred alert');
  await page.getByLabel('Pattern').fill('');
  await grid(page).evaluate((g) => (g.scrollTop = 0));
  await expect(grid(page).locator('[role=row][aria-rowindex="2"]')).toBeVisible();
});

test('exports the frames as HAR 1.2 and as JSON lines', async ({ page }) => {
  await openEndpoint(page, 'feed');
  await expect(grid(page).locator('.frames-body [role=row]').first()).toBeVisible();
  await page.getByLabel('Export as').selectOption('har');
  const [har] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export frames' }).click()]);
  expect(har.suggestedFilename()).toBe('wsmon-feed-frames.har');
  const file = JSON.parse(readFileSync((await har.path())!, 'utf8')) as { log: { entries: { _webSocketMessages: { data: string }[] }[] } };
  const messages = file.log.entries.flatMap((e) => e._webSocketMessages);
  expect(messages.some((m) => m.data.includes('"event":"quote"'))).toBe(true);
  // (The lab's URL carries what it will say, secret and all: only the frames are checked.)
  expect(JSON.stringify(messages)).not.toContain('zzz-secret-1');
  await page.getByLabel('Export as').selectOption('jsonl');
  const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export frames' }).click()]);
  const lines = readFileSync((await jsonl.path())!, 'utf8')
    .trim()
    .split('\n');
  expect(lines.length).toBeGreaterThan(3);
  expect(JSON.parse(lines[0]!)).toMatchObject({ endpoint: 'feed', handshake: { response: { status: 101 } } });
});
