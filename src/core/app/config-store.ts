// The endpoint list on disk, written atomically (temp file, fsync, rename,
// fsync of the folder): after a crash the file is the old one or the new one,
// never half of each. A file that cannot be used is kept aside as a backup and
// the app starts with what it can use, saying what happened.
import { closeSync, copyFileSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { CONFIG_FILE_VERSION, configFileSchema } from '../../shared/config-file';
import { openSecrets, type Cipher } from './secrets';
import { validateEndpoint, type EndpointConfig, type EndpointConfigInput } from '../../shared/config';
import { describeProblems, toProblems } from '../../shared/errors';

export interface LoadedConfig {
  endpoints: EndpointConfigInput[];
  /** What went wrong, in words for the window; null when the file was fine (or absent). */
  problem: string | null;
  /** Where the unusable original was kept, if it was. */
  backup: string | null;
}

/** Older formats, upgraded step by step to the current one. */
const MIGRATIONS: Record<number, (data: Record<string, unknown>) => Record<string, unknown>> = {
  // Version 0 was a bare list of endpoints.
  0: (data) => ({ version: 1, endpoints: data.endpoints }),
};

function versionOf(data: unknown): number | null {
  if (Array.isArray(data)) return 0;
  if (data && typeof data === 'object' && typeof (data as { version?: unknown }).version === 'number') return (data as { version: number }).version;
  return null;
}

export function migrate(data: unknown): unknown {
  let version = versionOf(data);
  let current = (Array.isArray(data) ? { endpoints: data } : data) as Record<string, unknown>;
  while (version !== null && version < CONFIG_FILE_VERSION && MIGRATIONS[version]) {
    current = MIGRATIONS[version]!(current);
    version = versionOf(current);
  }
  return current;
}

export interface LoadOptions {
  now?: number;
  /** Opens sealed secrets (core/secrets) before the endpoints are validated. */
  cipher?: Cipher;
}

export function loadConfig(path: string, { now = Date.now(), cipher }: LoadOptions = {}): LoadedConfig {
  removeStaleTemps(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { endpoints: [], problem: null, backup: null };
    return { endpoints: [], problem: `could not read ${path}: ${(e as Error).message}`, backup: null };
  }
  const keepAside = () => keepAsideCopy(path, now);
  let data: unknown;
  const lost: string[] = [];
  try {
    data = migrate(JSON.parse(text));
    const list = (data as { endpoints?: unknown } | null)?.endpoints;
    if (cipher && Array.isArray(list)) {
      const opened = openSecrets(list as EndpointConfigInput[], cipher);
      lost.push(...opened.problems);
      data = { ...(data as object), endpoints: opened.endpoints };
    }
  } catch (e) {
    const backup = keepAside();
    return { endpoints: [], problem: `the saved endpoints were unreadable (${(e as Error).message}); the file was kept as ${backup}`, backup };
  }
  const whole = configFileSchema.safeParse(data);
  if (whole.success) {
    return { endpoints: (data as { endpoints: EndpointConfigInput[] }).endpoints, problem: lost.length ? lost.join('; ') : null, backup: null };
  }
  // Keep every endpoint that is valid on its own; report the rest.
  const list = (data as { endpoints?: unknown }).endpoints;
  if (!Array.isArray(list)) {
    const backup = keepAside();
    return { endpoints: [], problem: `the saved endpoints file is not an endpoint list (${describeProblems(toProblems(whole.error))}); it was kept as ${backup}`, backup };
  }
  const good: EndpointConfigInput[] = [];
  const bad: string[] = [];
  list.forEach((e, i) => {
    const r = validateEndpoint(e);
    if (r.ok) good.push(e as EndpointConfigInput);
    else bad.push(`endpoint ${i + 1}: ${describeProblems(r.problems)}`);
  });
  const backup = keepAside();
  return { endpoints: good, problem: [...lost, `${bad.length} saved endpoint(s) could not be used (${bad.join('; ')}); the original file was kept as ${backup}`].join('; '), backup };
}

/** Copies a file that cannot be used to PATH.broken-TIME, so a user can recover what was in it; returns the copy's path. */
export function keepAsideCopy(path: string, now = Date.now()): string {
  const backup = join(dirname(path), `${basename(path)}.broken-${new Date(now).toISOString().replace(/[:.]/g, '-')}`);
  copyFileSync(path, backup);
  return backup;
}

/** Writes the endpoint list atomically. */
export function saveConfig(path: string, configs: (EndpointConfig | EndpointConfigInput)[]): void {
  writeAtomic(path, `${JSON.stringify({ version: CONFIG_FILE_VERSION, endpoints: configs }, null, 2)}\n`);
}

export function writeAtomic(path: string, text: string): void {
  removeStaleTemps(path);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const buf = Buffer.from(text);
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  // The rename itself must reach the disk, or a crash could bring back the old name.
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/**
 * Removes what an earlier process left when it was killed between writing its
 * temporary copy and renaming it (PATH.tmp-PID): a full copy of the file, with
 * whatever secrets it held, that would otherwise stay for ever. Only the files
 * of processes no longer running: a save in flight is left alone.
 */
export function removeStaleTemps(path: string): void {
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !Number.isInteger(pid) || (pid !== process.pid && isRunning(pid))) continue;
    try {
      unlinkSync(join(dirname(path), name));
    } catch {
      /* gone already */
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

