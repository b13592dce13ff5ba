// Runs the built CLI (out/cli, from `npm run build`) as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { waitFor } from './wait';

export const BIN = fileURLToPath(new URL('../../bin/wsmon.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../out/cli/index.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(BUILT)) throw new Error('out/cli/index.js is missing: run `npm run build` before the CLI tests');
}

/**
 * CLI processes started by this file's tests and not yet ended. A test that
 * fails between starting `wsmon web` and stopping it must not leave it running
 * for the rest of the suite (its CPU, its port, its data folder): whatever is
 * still running when the file's tests are over is killed.
 */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

export function startCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; result: Promise<CliResult>; stdout: () => string; stderr: () => string } {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  running.add(child);
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, result, stdout: () => stdout, stderr: () => stderr };
}

export function runCli(args: string[], env?: Record<string, string>): Promise<CliResult> {
  return startCli(args, env).result;
}

/** Resolves when the output (stdout or stderr getter) has a line matching `pred`. */
export function waitForLine(out: () => string, pred: (line: string) => boolean, what: string, timeoutMs = 8000): Promise<string> {
  return waitFor(
    () => out().split('\n').find(pred),
    (line) => line !== undefined,
    () => `${what}; stdout so far:\n${out()}`,
    { timeoutMs, everyMs: 10 },
  ) as Promise<string>;
}
