// Alert channels from the window (`wsmon web --data DIR`): added in Settings,
// shown masked, tested with "Send a test" against a real receiver, a failing
// one said at the top of the window, removed; scanned by axe-core.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { startHttpReceiver, type HttpReceiver } from '../helpers/receivers';
import { startWeb, watchProblems, type WebApp } from './web';

let dir: string;
let web: WebApp;
let http: HttpReceiver;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wsmon-channels-'));
  http = await startHttpReceiver();
  web = await startWeb(['--data', dir]);
});
test.afterAll(async () => {
  await web.stop();
  await http.close();
});

test('a channel is added, shown masked, tested, seen failing, and removed; by keyboard where it counts; axe-core finds nothing', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('region', { name: 'Settings' });
  const form = panel.getByRole('form', { name: 'Add an alert channel' });
  await form.getByRole('combobox', { name: 'Kind', exact: true }).selectOption('slack');
  await form.getByLabel('Address').fill(http.url('/services/T0/B0/secret-path'));
  await form.getByLabel('Name (optional)').fill('ops slack');
  await form.getByLabel('Name (optional)').press('Enter');

  const card = panel.getByTestId('channel');
  await expect(card).toHaveCount(1);
  // The address is the channel's secret: only its origin comes back, and the file keeps it whole.
  await expect(card.locator('code')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/\*\*\*$/);
  await expect(card).not.toContainText('secret-path');
  expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toContain('secret-path');
  await expect(card.locator('.channel-state')).toHaveText('nothing sent yet');

  await card.getByRole('button', { name: 'Send a test' }).focus();
  await page.keyboard.press('Enter');
  await expect(card.getByRole('status')).toHaveText('Test sent.');
  await expect(card.locator('.channel-state')).toHaveText('ok · 0 sent');
  expect(http.received.map((r) => [r.path, JSON.parse(r.body).text.split('\n')[0]])).toEqual([['/services/T0/B0/secret-path', '*wsmon: a test*']]);

  // The receiver fails: the test says why, the card and the top of the window say the channel is failing.
  http.answer('fail');
  await card.getByRole('button', { name: 'Send a test' }).click();
  await expect(card.getByRole('status')).toHaveText(/^Failed: 127\.0\.0\.1:\d+ answered HTTP 500$/);
  await expect(page.getByTestId('channel-failing')).toHaveText(/^Alert channel ops slack is failing: 127\.0\.0\.1:\d+ answered HTTP 500\. See Settings\.$/);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(result.violations.map((v) => `${scheme}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  }

  // Turned off, then removed: nothing is sent, and the banner goes with it.
  await card.getByLabel('On').uncheck();
  await expect(card.locator('.channel-state')).toHaveText('off');
  await card.getByRole('button', { name: 'Remove' }).click();
  await expect(card).toHaveCount(0);
  await expect(page.getByTestId('channel-failing')).toHaveCount(0);
  expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).channels).toEqual([]);
  expect(problems).toEqual([]);
});
