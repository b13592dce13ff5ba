// The desktop app itself, through Playwright's Electron driver. It runs only
// where the Electron binary is installed; these machines cannot download it, so
// here it skips and says so. Every behaviour it touches is also tested without
// Electron (core/app/session, main/ipc under Node; the window in Chromium).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/** The binary electron's own index.js would run, found without triggering its download. */
function electronBinary(): string | null {
  const dir = join('node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const binary = electronBinary();
const WHY = 'the Electron binary is not installed (node_modules/electron/dist is missing; it cannot be downloaded on this machine)';
if (!binary) console.log(`electron.spec.ts: skipped, ${WHY}`);

test('the desktop window has no Node, offers the tray setting, and closing it keeps monitoring', async () => {
  test.skip(!binary, WHY);
  const config = mkdtempSync(join(tmpdir(), 'wsmon-electron-'));
  const app = await electron.launch({ executablePath: binary!, args: ['out/main/index.js'], env: { ...process.env, XDG_CONFIG_HOME: config } });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('button', { name: 'Add endpoint' })).toBeVisible();
    // No Node in the page: neither require nor process leak through the preload.
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual([
      'undefined',
      'undefined',
    ]);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByLabel('Keep monitoring in the tray when the window closes')).toBeChecked();
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible()))).toEqual([false]);
  } finally {
    await app.evaluate(({ app: a }) => a.quit()).catch(() => undefined);
    await app.close().catch(() => undefined);
  }
});
