// The empty window offers the demo; one click fills it with every scenario.
import { expect, test } from '@playwright/test';
import { startWeb, watchProblems, type WebApp } from './web';

let web: WebApp;
test.beforeAll(async () => {
  web = await startWeb();
});
test.afterAll(async () => {
  await web.stop();
});

test('"Add demo endpoints" from the empty state brings up every scenario', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(web.url);
  await expect(page.getByTestId('summary')).toHaveText('No endpoints yet');
  await page.getByRole('button', { name: 'Add demo endpoints' }).click();
  const items = page.locator('aside li');
  await expect(items).toHaveCount(6);
  const state = (id: string) => page.locator(`button[data-endpoint="${id}"] .badge`);
  for (const id of ['demo-healthy', 'demo-slow', 'demo-jittery', 'demo-flaky']) await expect(state(id)).toHaveAttribute('data-state', 'open');
  for (const id of ['demo-refused', 'demo-closed-port']) await expect(state(id)).toHaveAttribute('data-state', 'retrying');
  await expect(page.locator('button[data-endpoint="demo-slow"] [data-testid="last-rtt"]')).toHaveText(/^(8\d|9\d)(\.\d)? ms$/, { timeout: 10_000 });
  await expect(page.getByTestId('summary')).toHaveText('4 up · 2 retrying');
  expect(problems).toEqual([]);
});
