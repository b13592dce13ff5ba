// Starts `wsmon web` (the built CLI) for a Playwright test and stops it after.
import { spawn, type ChildProcess } from 'node:child_process';

export interface WebApp {
  url: string;
  stop(): Promise<void>;
}

export async function startWeb(args: string[] = []): Promise<WebApp> {
  const child: ChildProcess = spawn(process.execPath, ['bin/wsmon.js', 'web', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^wsmon web: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`wsmon web exited with ${code}: ${out}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Collects page errors and console errors (a CSP violation is one); a test ends by expecting none. */
export function watchProblems(page: import('@playwright/test').Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  return problems;
}

/** Opens one of the form's collapsed groups of settings ("Timeouts and backoff" …), as a user clicks its summary. */
export async function openGroup(page: import('@playwright/test').Page, name: string): Promise<void> {
  const group = page.locator('details.group', { has: page.locator('summary', { hasText: name }) });
  if ((await group.getAttribute('open')) === null) await group.locator('summary').click();
}
