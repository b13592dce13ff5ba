// Keyboard and screen readers: every view scanned by axe-core in both themes
// (a serious or critical violation fails), and the window driven by keyboard
// alone: skip link, one tab stop in the list, focus following each action and
// coming back after dialogs, the form's error summary.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { Lab } from '../../src/lab/server';
import { openGroup, startWeb, watchProblems, type WebApp } from './web';

let lab: Lab;
const LONG = 'a-very-long-endpoint-name-for-the-market-data-gateway-in-frankfurt';
let web: WebApp;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  lab = await new Lab().start();
  // A data folder like the desktop app's: the window then has Settings, and these endpoints.
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-a11y-'));
  const fast = { heartbeat: { intervalMs: 300, timeoutMs: 250 }, backoff: { initialMs: 300, maxMs: 1000, jitter: 'none' } };
  const endpoints = [
    { name: 'alpha', url: lab.url('/alpha'), ...fast },
    // Slower than its own threshold: its RTT is shown as a problem (and its health is degraded).
    { name: 'bravo', url: lab.url('/bravo', { pongDelay: 30 }), ...fast, alerts: { rttMs: 10 } },
    { name: 'refused', url: lab.url('/refused', { refuse: 503 }), ...fast },
    { name: LONG, url: lab.url('/long'), ...fast },
  ];
  writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ version: 1, endpoints }));
  web = await startWeb(['--data', dir]);
});

test.afterAll(async () => {
  await web.stop();
  await lab.stop();
});

async function open(page: Page): Promise<string[]> {
  const problems = watchProblems(page);
  await page.goto(web.url);
  await expect(page.locator(`aside .name[title="${LONG}"]`)).toBeVisible();
  return problems;
}

/** axe-core's serious and critical violations on the page as it is now, each named with where it is. */
async function violations(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}: ${v.help}`,
    );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe-core finds no serious or critical violation in any view (${scheme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const problems = await open(page);
    const found: string[] = [];
    await expect(page.locator('.heat-rows li')).toHaveCount(4);
    found.push(...(await violations(page, 'overview')));

    await page.locator('button[data-endpoint="alpha"]').click();
    await expect(page.getByRole('heading', { level: 2, name: 'alpha' })).toBeVisible();
    await expect(page.getByTestId('card-rtt-last')).not.toHaveText('–');
    found.push(...(await violations(page, 'detail (up, selected in the list)')));
    // The frame inspector with a frame selected (its payload shown) and the handshake open.
    await page.getByRole('grid', { name: 'Frames, newest last' }).locator('.frames-body [role=row]').first().click();
    await expect(page.getByTestId('frame-detail')).toBeVisible();
    await page.getByTestId('handshake').locator('summary').click();
    found.push(...(await violations(page, 'frames (a frame selected, the handshake open)')));

    // The longer ranges and a typed range, with a refused range said in words.
    await page.getByRole('button', { name: 'Range…' }).click();
    await page.getByLabel('To', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Show this range' }).click();
    await expect(page.locator('#custom-range-error')).toHaveText('Give both a start and an end.');
    found.push(...(await violations(page, 'range panel (a typed range refused)')));
    await page.keyboard.press('Escape');

    await page.locator('button[data-endpoint="refused"]').click();
    await expect(page.locator('button[data-endpoint="refused"] .badge')).toHaveAttribute('data-state', 'retrying');
    found.push(...(await violations(page, 'detail (retrying)')));

    await page.getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    found.push(...(await violations(page, 'remove dialog')));
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Edit' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Edit endpoint' })).toBeVisible();
    found.push(...(await violations(page, 'edit form')));

    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByTestId('error-summary')).toBeVisible();
    found.push(...(await violations(page, 'add form with errors')));

    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
    found.push(...(await violations(page, 'settings')));

    expect(found).toEqual([]);
    expect(problems).toEqual([]);
  });
}

/** Pixels of an element's screenshot close to the theme's accent colour (the focus ring's), counted in the page. */
async function accentPixels(page: Page, locator: import('@playwright/test').Locator): Promise<number> {
  const png = (await locator.screenshot()).toString('base64');
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [img.width, img.height];
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim();
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16));
    const px = ctx.getImageData(0, 0, img.width, img.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i]! - r!) + Math.abs(px[i + 1]! - g!) + Math.abs(px[i + 2]! - b!) < 60) n++;
    return n;
  }, png);
}

const focusedEndpoint = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-endpoint') ?? null);

test("an RTT over its endpoint's threshold is shown as a problem, in words too; an RTT within it is not", async ({ page }) => {
  const problems = await open(page);
  const rtt = (name: string) => page.locator(`aside button[data-endpoint="${name}"] [data-testid="last-rtt"]`);
  await expect(rtt('bravo')).toHaveClass(/\bover\b/);
  await expect(rtt('bravo')).toHaveAttribute('title', 'over its 10.0 ms threshold');
  await expect(page.locator('aside button[data-endpoint="bravo"] .badge')).toHaveAttribute('data-health', 'degraded');
  await expect(rtt('alpha')).not.toHaveClass(/\bover\b/);
  expect(problems).toEqual([]);
});

test('keyboard: skip link; the list is one tab stop moved by arrow keys; Enter opens an endpoint and focus lands on its heading', async ({ page }) => {
  const problems = await open(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#content')).toBeFocused();

  // One tab stop for the whole list, whatever its length.
  await expect(page.locator('aside button.item[tabindex="0"]')).toHaveCount(1);
  const order = await page.locator('aside button.item').evaluateAll((els) => els.map((e) => e.getAttribute('data-endpoint')));
  await page.locator('aside button.item[tabindex="0"]').focus();
  expect(await focusedEndpoint(page)).toBe(order[0]);
  await page.keyboard.press('ArrowDown');
  expect(await focusedEndpoint(page)).toBe(order[1]);
  await page.keyboard.press('End');
  expect(await focusedEndpoint(page)).toBe(order.at(-1));
  await page.keyboard.press('Home');
  expect(await focusedEndpoint(page)).toBe(order[0]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: order[1]! })).toBeFocused();
  // Back in the list, the tab stop is the endpoint now open.
  await expect(page.locator('aside button.item[tabindex="0"]')).toHaveAttribute('data-endpoint', order[1]!);
  // Arrowing past others and leaving the list (Tab) does not move it: it stays the open endpoint.
  await page.locator(`aside button[data-endpoint="${order[1]}"]`).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await expect(page.locator('aside button.item[tabindex="0"]')).toHaveAttribute('data-endpoint', order[1]!);

  // The focus ring can be seen whole, not two slivers: a list row keeps what it paints inside itself (content-visibility).
  const row = page.locator(`aside li:has(button[data-endpoint="${order[2]}"])`);
  const before = await accentPixels(page, row);
  await page.locator(`aside button[data-endpoint="${order[2]}"]`).focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown'); // focused by keyboard: :focus-visible
  const box = (await row.boundingBox())!;
  // A 2 px ring all round is about 4 × (width + height) pixels; two slivers are a small part of that.
  expect((await accentPixels(page, row)) - before).toBeGreaterThan(2 * (box.width + box.height));
  expect(problems).toEqual([]);
});

test('keyboard: focus stays on Pause/Resume, comes back after the Remove dialog and Settings, and moves to the opened form', async ({ page }) => {
  const problems = await open(page);
  await page.locator('button[data-endpoint="alpha"]').click();
  await expect(page.locator('button[data-endpoint="alpha"] .badge')).toHaveAttribute('data-state', 'open');

  await page.getByRole('button', { name: 'Pause', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeFocused();
  await expect(page.locator('button[data-endpoint="alpha"] .badge')).toHaveAttribute('data-state', 'paused');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeFocused();

  await page.getByRole('button', { name: 'Disconnect' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
  // The pressed button is gone; focus is still among the actions, not on the page.
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.actions') !== null)).toBe(true);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();

  await page.getByRole('button', { name: 'Remove' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Remove' })).toBeFocused();

  await page.getByRole('button', { name: 'Settings' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('region', { name: 'Settings' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Settings' })).toBeFocused();

  await page.getByRole('button', { name: 'Add endpoint' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Add endpoint' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('URL', { exact: true })).toBeFocused();
  expect(problems).toEqual([]);
});

test("the time range is one toolbar moved by arrow keys; an endpoint page's charts share one time axis and its cards keep each value on one line", async ({
  page,
}) => {
  const problems = await open(page);
  const range = page.getByRole('toolbar', { name: /Time range/ });
  await expect(range.locator('button[tabindex="0"]')).toHaveCount(1);
  await range.locator('button[tabindex="0"]').focus();
  await page.keyboard.press('ArrowRight');
  await expect(range.getByRole('button', { name: '1 h' })).toBeFocused();
  await expect(range.getByRole('button', { name: '1 h' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(range.getByRole('button', { name: 'Live 5 min' })).toBeFocused();

  await page.locator('aside button[data-endpoint="alpha"]').click();
  await expect(page.getByTestId('card-rtt-last')).not.toHaveText('–');
  // The RTT, disconnects, attempts and phases charts put the range's start and end at the same x: one time axis.
  const ends = await page.evaluate(() =>
    ['chart-rtt', 'chart-disconnects', 'chart-attempts', 'chart-phases'].map((id) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`canvas[data-testid="${id}"]`)!;
      type Scale = { min: number; max: number; getPixelForValue(v: number): number };
      const chart = (globalThis as unknown as { Chart: { getChart(c: HTMLCanvasElement): { scales: { x: Scale } } } }).Chart.getChart(canvas);
      const { x } = chart.scales;
      const left = canvas.getBoundingClientRect().left;
      return `${Math.round(left + x.getPixelForValue(x.min))}–${Math.round(left + x.getPixelForValue(x.max))}`;
    }),
  );
  expect(new Set(ends).size, String(ends)).toBe(1);
  // Each value on one line of its 18 px text (an uptime's small "since" line under it is its own line).
  const heights = await page.locator('.cards dd').evaluateAll((dds) =>
    dds.map((dd) => {
      const value = dd.querySelector('span') ?? dd;
      const range = document.createRange();
      range.selectNodeContents(value);
      return { text: value.textContent ?? '', lines: range.getClientRects().length };
    }),
  );
  for (const h of heights) expect(h.lines, h.text).toBe(1);
  expect(problems).toEqual([]);
});

test("a heat row's cells by keyboard: → from the name enters them, arrows step through, each cell's figures read out and shown", async ({ page }) => {
  const problems = await open(page);
  const row = page.locator('.heat-rows li[data-endpoint="alpha"]');
  await row.locator('.heat-name').focus();
  await page.keyboard.press('ArrowRight');
  const cells = row.getByRole('slider');
  await expect(cells).toBeFocused();
  const words = /^\d\d:\d\d:\d\d–\d\d:\d\d:\d\d · /;
  await expect(cells).toHaveAttribute('aria-valuetext', words);
  const newest = Number(await cells.getAttribute('aria-valuenow'));
  await expect(row.getByTestId('heat-figure')).toHaveText(words);
  await page.keyboard.press('ArrowLeft');
  await expect(cells).toHaveAttribute('aria-valuenow', String(newest - 1));
  await page.keyboard.press('Home');
  await expect(cells).toHaveAttribute('aria-valuenow', '1');
  await page.keyboard.press('ArrowLeft'); // left of the first cell: back to the name
  await expect(row.locator('.heat-name')).toBeFocused();
  await expect(row.getByTestId('heat-figure')).not.toHaveText(words);
  expect(problems).toEqual([]);
});

test('the form: a failed Add lists every problem in a summary and puts focus on the first field at fault; cross-field rules are checked', async ({ page }) => {
  const problems = await open(page);
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByLabel('URL', { exact: true }).fill('http://nope/');
  await openGroup(page, 'Timeouts and backoff');
  await page.getByLabel('Initial delay', { exact: true }).fill('10s');
  await page.getByLabel('Interval', { exact: true }).fill('2s');
  await page.getByLabel('Timeout', { exact: true }).fill('3s');
  await page.getByLabel('Misses before dead', { exact: true }).fill('2');
  // The engine's death bound for these timings, in words, as they are typed.
  await expect(page.getByTestId('dead-bound')).toHaveText('A silent peer is declared dead within 7s (misses × interval + timeout).');
  // The last field typed is invalid and Add is pressed straight from it: its error must not push the button from under the click.
  await page.getByLabel('Max delay', { exact: true }).fill('1s');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const summary = page.getByTestId('error-summary');
  await expect(summary).toContainText('2 problems to fix before adding');
  await expect(summary).toContainText('URL must start with ws:// or wss://');
  await expect(summary).toContainText('backoff maximum delay must not be shorter than the initial delay');
  await expect(page.getByLabel('URL', { exact: true })).toBeFocused();
  // A summary entry takes the user to its field.
  await summary.getByRole('link', { name: /backoff maximum delay/ }).click();
  await expect(page.getByLabel('Max delay', { exact: true })).toBeFocused();

  await page.getByLabel('Max delay', { exact: true }).fill('30s');
  await page.getByLabel('URL', { exact: true }).fill(lab.url('/charlie'));
  await page.getByLabel('Name', { exact: true }).fill('charlie');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'charlie' })).toBeFocused();
  expect(problems).toEqual([]);
});

test('the form a person can fill in: at 1440×900 the basics and Add fit without scrolling, the rest in collapsed groups; Escape cancels; a problem in a closed group opens it', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const problems = await open(page);
  const before = await page.locator('aside li').count();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const add = page.getByRole('button', { name: 'Add', exact: true });
  await expect(add).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
  for (const group of ['Timeouts and backoff', 'TLS and proxy', 'Headers, subprotocols and limits', 'Building blocks', 'Alerts']) {
    await expect(page.locator('details.group', { hasText: group })).not.toHaveAttribute('open');
  }
  await page.getByLabel('URL', { exact: true }).fill('ws://127.0.0.1:1/');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'Add endpoint' })).toHaveCount(0);
  await expect(page.locator('aside li')).toHaveCount(before); // cancelled: nothing added

  // A problem in a group still closed: Add opens that group and puts the focus on the field.
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByLabel('URL', { exact: true }).fill(lab.url('/delta'));
  await openGroup(page, 'Alerts');
  await page.getByLabel('Loss threshold', { exact: true }).fill('2');
  await page.locator('details.group', { hasText: 'Alerts' }).locator('summary').click();
  await expect(page.locator('details.group', { hasText: 'Alerts' })).not.toHaveAttribute('open');
  await add.click();
  await expect(page.getByTestId('error-summary')).toContainText('loss threshold must be a fraction between 0 and 1');
  await expect(page.getByLabel('Loss threshold', { exact: true })).toBeFocused();
  await expect(page.locator('details.group', { hasText: 'Alerts' })).toHaveAttribute('open');
  await page.keyboard.press('Escape');
  expect(problems).toEqual([]);
});

test('layout: one header row at 1024 px; at 800×600 an endpoint page shows its health and RTT chart without scrolling; long names ellipsize with the full name on hover', async ({
  page,
}) => {
  const problems = await open(page);
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    const header = (await page.locator('header.top').boundingBox())!;
    expect(header.height, `header at ${width} px`).toBeLessThan(60);
  }
  await page.setViewportSize({ width: 800, height: 600 });
  await page.locator('button[data-endpoint="alpha"]').click();
  await expect(page.getByTestId('card-rtt-last')).not.toHaveText('–');
  const badge = (await page.locator('main .badge').boundingBox())!;
  const chart = (await page.getByTestId('chart-rtt').boundingBox())!;
  expect(badge.y + badge.height).toBeLessThanOrEqual(600);
  expect(chart.y + chart.height).toBeLessThanOrEqual(600);
  expect(await page.locator('main').evaluate((m) => m.scrollTop)).toBe(0);

  const name = page.locator(`aside .name[title="${LONG}"]`);
  await expect(name).toHaveAttribute('title', LONG);
  expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true); // cut with an ellipsis, on one line
  const row = (await page.locator('aside .row1', { has: page.locator(`.name[title="${LONG}"]`) }).boundingBox())!;
  expect(row.height).toBeLessThan(30);
  // The list can be hidden for room, and shown again.
  await page.getByRole('button', { name: 'Hide list' }).click();
  await expect(page.locator('aside')).toBeHidden();
  await page.getByRole('button', { name: 'Show list' }).click();
  await expect(page.locator('aside')).toBeVisible();
  expect(problems).toEqual([]);
});
