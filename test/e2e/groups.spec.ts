// Tags group endpoints: set in a config file, on the command line and in the
// form; the list filters by tag (and by a tag typed in the search) and sums up
// the group's health.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { Lab } from '../../src/lab/server';
import { startWeb, watchProblems, type WebApp } from './web';

let lab: Lab;
let web: WebApp;

test.beforeAll(async () => {
  lab = await new Lab().start();
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-groups-'));
  const fast = { heartbeat: { intervalMs: 300, timeoutMs: 250 }, backoff: { initialMs: 300, maxMs: 1000, jitter: 'none' } };
  const endpoints = [
    { name: 'api-eu', url: lab.url('/api-eu'), tags: ['prod', 'eu'], ...fast },
    { name: 'api-us', url: lab.url('/api-us'), tags: ['prod', 'us'], ...fast },
    { name: 'broken-eu', url: lab.url('/broken', { refuse: 503 }), tags: ['prod', 'eu'], ...fast },
    { name: 'staging', url: lab.url('/staging'), tags: ['staging'], ...fast },
  ];
  const config = join(dir, 'endpoints.json');
  writeFileSync(config, JSON.stringify({ version: 1, endpoints }));
  web = await startWeb(['--config', config, `canary=${lab.url('/canary')}`, '--tag', 'canary', '--ping-interval', '300ms']);
});

test.afterAll(async () => {
  await web.stop();
  await lab.stop();
});

test('the list filters by tag and sums up the group; a tag typed in the search finds its endpoints; tags show on each row', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(web.url);
  const names = () => page.locator('aside .name').allInnerTexts();
  await expect(page.locator('aside .name')).toHaveCount(5);
  const tag = page.getByRole('combobox', { name: 'Tag', exact: true });
  await expect(tag.locator('option')).toHaveText(['all', 'canary', 'eu', 'prod', 'staging', 'us']);

  await tag.selectOption('eu');
  await expect(page.locator('aside .name')).toHaveCount(2);
  expect((await names()).sort()).toEqual(['api-eu', 'broken-eu']);
  await expect(page.getByTestId('summary')).toHaveText(/^eu: 1 (down|retrying) · 1 up$|^eu: 1 up · 1 (down|retrying)$/);

  await tag.selectOption('all');
  await page.getByLabel('Filter').fill('staging');
  await expect(page.locator('aside .name')).toHaveText(['staging']);
  await page.getByLabel('Filter').fill('');
  await expect(page.locator('button[data-endpoint="api-us"] .tags')).toHaveText(' · prod us');
  await expect(page.locator('button[data-endpoint="canary"] .tags')).toHaveText(' · canary');
  expect(problems).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a chosen group, its actions and its tags pass axe-core (${scheme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(web.url);
    await page.getByRole('combobox', { name: 'Tag', exact: true }).selectOption('prod');
    await expect(page.getByRole('group', { name: 'Act on tagged prod' })).toBeVisible();
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
}

test('tags are edited in the form and the list follows', async ({ page }) => {
  await page.goto(web.url);
  await page.locator('button[data-endpoint="staging"]').click();
  await page.getByRole('button', { name: 'Edit' }).click();
  const field = page.getByLabel('Tags', { exact: true });
  await expect(field).toHaveValue('staging');
  await field.fill('staging, eu');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('button[data-endpoint="staging"] .tags')).toHaveText(' · staging eu');
  await page.getByRole('combobox', { name: 'Tag', exact: true }).selectOption('eu');
  await expect(page.locator('aside .name')).toHaveCount(3);
});

test('the overview groups its rows by tag, each group collapsible and summed up; grouping can be turned off', async ({ page }) => {
  await page.goto(web.url);
  const groups = page.getByTestId('heat-group');
  await expect(groups).toHaveText([
    /^eu — 2 up · 1 (down|retrying)$/,
    /^prod — 2 up · 1 (down|retrying)$/,
    /^canary — 1 up$/,
    /^staging — 1 up$/,
    /^us — 1 up$/,
  ]);
  // An endpoint is in each of its groups: staging in eu and staging, the prod ones in prod and their region.
  const rows = page.locator('.heat-rows li[data-endpoint]');
  await expect(rows).toHaveCount(9);
  const prod = groups.filter({ hasText: /^prod/ }).getByRole('button');
  await prod.click();
  await expect(prod).toHaveAttribute('aria-expanded', 'false');
  await expect(rows).toHaveCount(6);
  await prod.click();
  await expect(rows).toHaveCount(9);
  await page.getByLabel('Group by tag').uncheck();
  await expect(groups).toHaveCount(0);
  await expect(rows).toHaveCount(5);
});

test('a group is paused, resumed and removed at once, the removal confirmed once naming how many', async ({ page }) => {
  await page.goto(web.url);
  await page.getByRole('combobox', { name: 'Tag', exact: true }).selectOption('us');
  const group = page.getByRole('group', { name: 'Act on tagged us' });
  await group.getByRole('button', { name: 'Pause 1' }).click();
  await expect(page.locator('button[data-endpoint="api-us"] .badge')).toHaveAttribute('data-state', 'paused');
  await expect(group.getByRole('status')).toHaveText('Paused 1.');
  await group.getByRole('button', { name: 'Resume 1' }).click();
  await expect(page.locator('button[data-endpoint="api-us"] .badge')).not.toHaveAttribute('data-state', 'paused');

  await page.getByRole('combobox', { name: 'Tag', exact: true }).selectOption('prod');
  const prod = page.getByRole('group', { name: 'Act on tagged prod' });
  await prod.getByRole('button', { name: 'Remove 3…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Remove 3 endpoints (tagged prod)?');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('aside .name')).toHaveCount(3);
  await prod.getByRole('button', { name: 'Remove 3…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove 3' }).click();
  // The tag is gone with its endpoints: the list shows every one left.
  await expect(page.locator('aside .name')).toHaveText(['canary', 'staging'], { useInnerText: true });
});

test('a selection made by keyboard is acted on at once: pause and resume the endpoints picked', async ({ page }) => {
  await page.goto(web.url);
  await expect(page.locator('aside .name')).toHaveCount(2);
  await page.getByRole('button', { name: 'Select…' }).click();
  await expect(page.getByRole('button', { name: 'Done selecting' })).toHaveAttribute('aria-pressed', 'true');
  const first = page.locator('aside button.item').first();
  await first.focus();
  await page.keyboard.press('Space');
  await expect(first).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.locator('aside button.item[aria-pressed="true"]')).toHaveCount(2);
  // Picking opens nothing: the overview stays.
  await expect(page.getByRole('heading', { level: 2, name: 'Overview' })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page }).include('aside').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(result.violations.map((v) => `${scheme}: ${v.id}: ${v.help}`)).toEqual([]);
  }
  const group = page.getByRole('group', { name: 'Act on 2 selected' });
  await group.getByRole('button', { name: 'Pause 2' }).click();
  await expect(page.locator('aside .badge[data-state="paused"]')).toHaveCount(2);
  await group.getByRole('button', { name: 'Resume 2' }).click();
  await expect(page.locator('aside .badge[data-state="paused"]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.locator('aside button.item[aria-pressed="true"]')).toHaveCount(0);
  await expect(page.getByRole('group', { name: /selected$/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Done selecting' }).click();
  await page.locator('aside button.item').first().click();
  await expect(page.getByRole('heading', { level: 2 })).not.toHaveText('Overview');
});

test('the list groups by tag on request: a collapsible group per tag, summed up, worst first; arrow keys skip a closed group', async ({ page }) => {
  await page.goto(web.url);
  await page.getByLabel('Group the list by tag').check();
  const groups = page.getByTestId('list-group');
  // staging carries two tags (eu was added in the form): it is in both groups.
  await expect(groups).toHaveText([/^canary — 1 up$/, /^eu — 1 up$/, /^staging — 1 up$/]);
  await expect(page.locator('aside .name')).toHaveText(['canary', 'staging', 'staging']);
  // A group's header is a row of the list: it opens and closes its group, and a closed group's rows are out of the
  // keyboard's way: from canary, ArrowDown goes to eu's header, then past its rows to staging's.
  const eu = groups.nth(1).getByRole('button');
  await eu.click();
  await expect(eu).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('aside .name')).toHaveText(['canary', 'staging']);
  await page.locator('aside button[data-endpoint="canary"]').focus();
  await page.keyboard.press('ArrowDown');
  await expect(eu).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(groups.nth(2).getByRole('button')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('aside button[data-endpoint="staging"]')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(groups.nth(0).getByRole('button')).toBeFocused();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page }).include('aside').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(result.violations.map((v) => `${scheme}: ${v.id}: ${v.help}`)).toEqual([]);
  }
  await page.getByLabel('Group the list by tag').uncheck();
  await expect(groups).toHaveCount(0);
  await expect(page.locator('aside .name')).toHaveCount(2);
});
