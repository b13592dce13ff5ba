// The endpoint list on disk, written atomically through the file gate (temp
// file, fsync, rename, fsync of the folder): after a crash the file is the old
// one or the new one, never half of each. A file that cannot be used is kept
// aside as a backup and the app starts with what it can use, saying what happened.
import { closeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { CONFIG_FILE_VERSION, configFileSchema, entriesOf, type ConfigEntry } from '../../shared/config-file';
import { openSecrets, type Cipher } from './secrets';
import { validateEndpoint, type EndpointConfig, type EndpointConfigInput } from '../../shared/config';
import { describeProblems, toProblems } from '../../shared/errors';
import { parseJsonText } from '../../shared/json-text';
import { openForWrite, readGated, removeStaleTemps, writeAll, writeAtomic, type FileGateError } from '../files/gate';

export interface LoadedConfig {
  /** The usable endpoints, each as written and as parsed (once, here). */
  entries: ConfigEntry[];
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

/** The endpoint list of 10,000 endpoints is about 3 MiB; a file past this is not a list wsmon wrote. */
export const CONFIG_FILE_MAX_BYTES = 32 * 1024 * 1024;

export type DataFileRead =
  | { ok: true; value: unknown; keepAside: () => string }
  /** problem: null when the file is simply not there yet; backup: where an unusable original was kept. */
  | { ok: false; problem: string | null; backup: string | null };

/**
 * A JSON file of the data folder, through the file gate: a regular file of at
 * most maxBytes, never a symlink (wsmon writes these files itself, so a link
 * there was put by someone else). Text that is not JSON is kept aside (its
 * bytes as read, in a new 0600 file) and named by line and column, never quoted.
 */
export function readDataFile(path: string, what: string, maxBytes: number, now = Date.now()): DataFileRead {
  let bytes: Buffer;
  try {
    bytes = readGated(path, { what, maxBytes, followSymlinks: false });
  } catch (e) {
    const err = e as FileGateError;
    return { ok: false, problem: err.code === 'ENOENT' ? null : err.message, backup: null };
  }
  const keepAside = () => keepAsideCopy(path, bytes, now);
  const parsed = parseJsonText(bytes.toString('utf8'));
  if (!parsed.ok) {
    const backup = keepAside();
    return { ok: false, problem: `the ${what} "${path}" is ${parsed.message}; it was kept as ${backup}`, backup };
  }
  return { ok: true, value: parsed.value, keepAside };
}

export function loadConfig(path: string, { now = Date.now(), cipher }: LoadOptions = {}): LoadedConfig {
  removeStaleTemps(path);
  const read = readDataFile(path, 'saved endpoints file', CONFIG_FILE_MAX_BYTES, now);
  if (!read.ok) return { entries: [], problem: read.problem && `${read.problem}; starting without the saved endpoints`, backup: read.backup };
  let data = migrate(read.value);
  const lost: string[] = [];
  const list = (data as { endpoints?: unknown } | null)?.endpoints;
  if (cipher && Array.isArray(list)) {
    const opened = openSecrets(list as EndpointConfigInput[], cipher);
    lost.push(...opened.problems);
    data = { ...(data as object), endpoints: opened.endpoints };
  }
  const whole = configFileSchema.safeParse(data);
  if (whole.success) {
    return {
      entries: entriesOf((data as { endpoints: EndpointConfigInput[] }).endpoints, whole.data.endpoints),
      problem: lost.length ? lost.join('; ') : null,
      backup: null,
    };
  }
  // Keep every endpoint that is valid on its own; report the rest.
  const backup = read.keepAside();
  if (!Array.isArray(list)) {
    return {
      entries: [],
      problem: `the saved endpoints file is not an endpoint list (${describeProblems(toProblems(whole.error))}); it was kept as ${backup}`,
      backup,
    };
  }
  const good: ConfigEntry[] = [];
  const bad: string[] = [];
  (data as { endpoints: unknown[] }).endpoints.forEach((e, i) => {
    const r = validateEndpoint(e);
    if (r.ok) good.push({ input: e as EndpointConfigInput, settings: r.value });
    else bad.push(`endpoint ${i + 1}: ${describeProblems(r.problems)}`);
  });
  return {
    entries: good,
    problem: [...lost, `${bad.length} saved endpoint(s) could not be used (${bad.join('; ')}); the original file was kept as ${backup}`].join('; '),
    backup,
  };
}

/** Keeps the bytes of a file that cannot be used as PATH.broken-TIME (a new 0600 file), so a user can recover them; returns its path. */
function keepAsideCopy(path: string, bytes: Buffer, now: number): string {
  const backup = join(dirname(path), `${basename(path)}.broken-${new Date(now).toISOString().replace(/[:.]/g, '-')}`);
  const { fd } = openForWrite(backup, 'copy of an unusable file');
  try {
    writeAll(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return backup;
}

/** Writes the endpoint list atomically. */
export function saveConfig(path: string, configs: (EndpointConfig | EndpointConfigInput)[]): void {
  removeStaleTemps(path);
  writeAtomic(path, `${JSON.stringify({ version: CONFIG_FILE_VERSION, endpoints: configs }, null, 2)}\n`, 'saved endpoints file');
}
