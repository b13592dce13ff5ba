// Endpoints that go down together are one incident on the overview (with its
// cause, its members and its time) and on each member's page; it is over when
// they are back. Two real lab servers on two loopback addresses.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { Lab } from '../../src/lab/server';
import { startWeb, watchProblems, type WebApp } from './web';

let lab: Lab;
let other: Lab;
let web: WebApp;

test.beforeAll(async () => {
  lab = await new Lab().start();
  other = await new Lab().start(0, '127.0.0.2');
  const fast = ['--ping-interval', '300ms', '--ping-timeout', '250ms', '--backoff-initial', '300ms', '--backoff-max', '300ms', '--jitter', 'none'];
  web = await startWeb([`chat=${lab.url('/chat')}`, `feed=${lab.url('/feed')}`, `quotes=${lab.url('/quotes')}`, `game=${other.url('/game')}`, ...fast]);
});

test.afterAll(async () => {
  await web.stop();
  await lab.stop();
  await other.stop();
});

test('a host going down is one incident on the overview and on each member page; it is over when they are back; axe-core finds nothing in both themes', async ({
  page,
}) => {
  const problems = watchProblems(page);
  await page.goto(web.url);
  await expect(page.locator('aside .name')).toHaveCount(4);
  await expect(page.getByTestId('incidents')).toHaveCount(0);
  const port = Number(new URL(lab.url('/')).port);
  await lab.stop();

  const incident = page.getByTestId('incident');
  await expect(incident).toHaveCount(1);
  await expect(incident.locator('.incident-head')).toContainText(/^Open · .* · 3 endpoints$/);
  await expect(incident.locator('.incident-cause')).toHaveText(/^127\.0\.0\.1: 3 endpoints down within 0\.\d s — the host or the path, not one service$/);
  // Members in the order they went down.
  await expect(incident.locator('.incident-members button')).toHaveCount(3);
  expect((await incident.locator('.incident-members button').allInnerTexts()).sort()).toEqual(['chat', 'feed', 'quotes']);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page }).include('[data-testid="incidents"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(result.violations.map((v) => `${scheme}: ${v.id}: ${v.help}`)).toEqual([]);
  }

  // A member's page lists it (by keyboard, from the overview's link); the healthy endpoint's page does not.
  await incident.getByRole('button', { name: 'feed' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Incidents it was part of' })).toBeVisible();
  await expect(page.getByTestId('incident').locator('.incident-cause')).toHaveText(/^127\.0\.0\.1: /);
  await page.locator('button[data-endpoint="game"]').click();
  await expect(page.getByTestId('incidents')).toHaveCount(0);

  await lab.start(port);
  await page.getByRole('button', { name: 'Overview' }).click();
  await expect(incident.locator('.incident-head')).toContainText(/^Over · .* to .* \(\d+ s\) · 3 endpoints$/);
  expect(problems).toEqual([]);
});
