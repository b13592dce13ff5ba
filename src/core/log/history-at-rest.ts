// A data folder's history read without running a session (`wsmon history`):
// the same restore the app does at start — the history snapshot and the logs
// after it, or a replay of the last week of logs — into records of every
// endpoint the folder knows, at times before now.
import { join } from 'node:path';
import { stamp } from '../../shared/events';
import { Records } from '../record/records';
import { pastLogs, rebuildHistory, type RebuildProgress } from './rebuild';
import { noSnapshot, readSnapshot, restoreFromSnapshot, SNAPSHOT_FILE } from './snapshot';
import { emptyReadResult, namesIn, readSessionLog, type LogCut } from './session-log';

export interface HistoryAtRest {
  records: Records;
  progress: RebuildProgress;
  /** Why the snapshot was not used, in one sentence, or null. */
  problem: string | null;
}

export async function historyAtRest(dataDir: string, nowWall: number): Promise<HistoryAtRest> {
  const records = new Records({ startWall: nowWall, now: () => 0 });
  const add = (id: string) => void (records.has(id) || records.apply(stamp({ type: 'endpoint-added', name: id, url: '' }, nowWall, 0, id)));
  const logsDir = join(dataDir, 'sessions');
  let problem: string | null = null;
  try {
    const snapshot = await readSnapshot(join(dataDir, SNAPSHOT_FILE));
    for (const e of snapshot.endpoints) add(e.id);
    // And those first seen after it: in the rest of its run's log, or in a later run's.
    for (const name of namesIn(logsDir).filter((n) => /^session-.*\.jsonl$/.test(n) && (snapshot.cut === null || n >= snapshot.cut.name)))
      await endpointsIn(join(logsDir, name), add, name === snapshot.cut?.name ? snapshot.cut : undefined);
    const progress = await restoreFromSnapshot(records, snapshot, logsDir, null);
    return { records, progress: { ...progress, source: 'snapshot' }, problem };
  } catch (e) {
    if (!noSnapshot(e)) problem = `The history snapshot could not be used (${(e as Error).message}); the session logs were replayed instead.`;
  }
  const logs = pastLogs(logsDir, nowWall, null);
  // The endpoints are those the logs name (no session is running to say which are monitored).
  for (const log of logs) await endpointsIn(log.path, add);
  const progress = await rebuildHistory(records, logs, nowWall);
  return { records, progress: { ...progress, source: 'logs' }, problem };
}

/** Calls `add` with each endpoint a log (from a cut, when given) adds; a log that cannot be read adds none. */
async function endpointsIn(path: string, add: (id: string) => void, from?: LogCut): Promise<void> {
  try {
    for await (const e of readSessionLog(path, emptyReadResult(), from)) if (e.type === 'endpoint-added' && e.endpoint !== undefined) add(e.endpoint);
  } catch {
    // Gone or unreadable since it was listed: the fold passes it over too.
  }
}
