// Earlier runs' session logs, kept within bounds: by age (days) and by the
// total size of the folder, the oldest run going first, never the current
// run's log. A run's log is its file and its rotated generations, kept or
// deleted together. Only regular files named as session logs are touched.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { removeRegular } from '../files/gate';
import { namesIn } from './session-log';

const DAY = 86_400_000;
const SESSION_FILE = /^(session-[^/]*\.jsonl)(?:\.[1-9]\d*)?$/;

export interface Retention {
  days: number;
  bytes: number;
}

export interface RunLog {
  /** The log's file name (its generations share it, with .N). */
  name: string;
  paths: string[];
  bytes: number;
  /** When it was last written (the newest of its files). */
  lastWrittenMs: number;
}

/** The runs' logs in a sessions folder, oldest first (regular files only). */
export function runLogs(dir: string): RunLog[] {
  const runs = new Map<string, RunLog>();
  for (const file of namesIn(dir)) {
    const m = SESSION_FILE.exec(file);
    if (!m) continue;
    const path = join(dir, file);
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st?.isFile()) continue;
    const run = runs.get(m[1]!) ?? { name: m[1]!, paths: [], bytes: 0, lastWrittenMs: 0 };
    run.paths.push(path);
    run.bytes += st.size;
    run.lastWrittenMs = Math.max(run.lastWrittenMs, st.mtimeMs);
    runs.set(m[1]!, run);
  }
  return [...runs.values()].sort((a, b) => a.lastWrittenMs - b.lastWrittenMs);
}

/**
 * Deletes earlier runs' logs older than `days`, then the oldest until all of
 * them (the current one counted, never deleted) fit in `bytes`. Returns the
 * runs deleted and what is left.
 */
export function pruneRunLogs(
  dir: string,
  current: string | null,
  keep: Retention,
  nowWall: number,
): { deleted: string[]; left: { runs: number; bytes: number } } {
  const runs = runLogs(dir);
  const isCurrent = (r: RunLog) => current !== null && r.name === current;
  let total = runs.reduce((n, r) => n + r.bytes, 0);
  const deleted: string[] = [];
  for (const run of runs) {
    if (isCurrent(run)) continue;
    const tooOld = nowWall - run.lastWrittenMs > keep.days * DAY;
    if (!tooOld && total <= keep.bytes) continue;
    for (const p of run.paths) removeRegular(p);
    total -= run.bytes;
    deleted.push(run.name);
  }
  const left = runs.filter((r) => !deleted.includes(r.name));
  return { deleted, left: { runs: left.length, bytes: left.reduce((n, r) => n + r.bytes, 0) } };
}
