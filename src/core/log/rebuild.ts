// History across restarts: the last days of each endpoint's records rebuilt
// from the session logs of earlier runs (a data folder keeps one per run),
// while the new session already monitors. Each log is streamed (memory stays
// bounded by the records' own rings), folded into recorders of its own at
// times before this session's start, and handed to the live recorders at the
// end, in front of what they recorded meanwhile.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { EndpointRecorder } from '../record/recorder';
import { EventsPool } from '../record/recent-events';
import type { Records } from '../record/records';
import { emptyReadResult, namesIn, readSessionLog, type LogCut } from './session-log';

/** How far back history is rebuilt. */
export const REBUILD_DAYS = 7;
const DAY = 86_400_000;
/** Events folded between yields to the event loop: the live session keeps running during a rebuild. */
const BATCH = 2000;

export interface RebuildProgress {
  /** 0..1, by bytes of log read. */
  fraction: number;
  files: number;
  events: number;
  /** Session-monotonic time of the oldest rebuilt record (negative: before this session), or null while none. */
  fromMono: number | null;
  /** Where it came from, once done: a history snapshot and the logs since (log/snapshot.ts), or the logs replayed. */
  source?: 'snapshot' | 'logs';
}

/** The session logs in `dir` written within the last `days` (by modification time), oldest first; `exclude` is this session's own. */
export function pastLogs(dir: string, nowWall: number, exclude: string | null, days = REBUILD_DAYS): { path: string; bytes: number }[] {
  return namesIn(dir)
    .filter((n) => /^session-.*\.jsonl$/.test(n))
    .map((n) => join(dir, n))
    .filter((p) => p !== exclude)
    .map((path) => ({ path, stat: statSync(path, { throwIfNoEntry: false }) }))
    .filter((f) => f.stat?.isFile() && nowWall - f.stat.mtimeMs <= days * DAY)
    .sort((a, b) => a.stat!.mtimeMs - b.stat!.mtimeMs)
    .map((f) => ({ path: f.path, bytes: f.stat!.size }));
}

/**
 * Rebuilds the records of the endpoints `records` holds now from `logs`
 * (oldest first), for the `days` before `startWall`, and reports progress.
 * Endpoints no longer monitored are skipped. Unreadable lines are skipped as
 * a log replay skips them; a log that cannot be read at all is passed over.
 */
export async function rebuildHistory(
  records: Records,
  logs: { path: string; bytes: number }[],
  startWall: number,
  onProgress: (p: RebuildProgress) => void = () => {},
  days = REBUILD_DAYS,
): Promise<RebuildProgress> {
  const fold = new PastFold(
    records,
    startWall,
    logs.reduce((n, l) => n + l.bytes, 0),
    onProgress,
  );
  for (const log of logs) await fold.log(log, { sinceT: -days * DAY });
  return fold.adopt();
}

/**
 * Earlier runs' events folded into recorders of their own, on this session's
 * clock (before its start), then handed to the live recorders: the replay of
 * rebuildHistory and the tail after a history snapshot (log/snapshot.ts).
 */
export class PastFold {
  readonly past = new Map<string, EndpointRecorder>();
  /** Their recent events are folded too, and held to one pool as the live ones are. */
  private readonly events = new EventsPool();
  readonly progress: RebuildProgress = { fraction: 0, files: 0, events: 0, fromMono: null };
  private bytesDone = 0;

  constructor(
    private readonly records: Records,
    private readonly startWall: number,
    private readonly totalBytes: number,
    private readonly onProgress: (p: RebuildProgress) => void,
  ) {}

  /**
   * Folds one run's log: events at or after `sinceT` (this session's clock),
   * or with `from`, only those written after that cut — or, where the cut is
   * no longer found, those after `afterMono` on the log's own clock.
   * Returns when each endpoint was last seen in it (this session's clock).
   */
  async log(log: { path: string; bytes: number }, opts: { sinceT?: number; from?: LogCut; afterMono?: number } = {}): Promise<Map<string, number>> {
    const { past, records, progress } = this;
    const lastSeen = new Map<string, number>();
    const since = opts.sinceT ?? -Infinity;
    const read = emptyReadResult();
    let batch = 0;
    try {
      for await (const e of readSessionLog(log.path, read, opts.from)) {
        if (e.endpoint === undefined || !records.has(e.endpoint)) continue;
        if (opts.from && !read.resumed && e.mono <= (opts.afterMono ?? -Infinity)) continue;
        const t = Date.parse(e.ts) - this.startWall;
        if (!(t >= since && t < 0)) continue;
        let rec = past.get(e.endpoint);
        if (!rec) past.set(e.endpoint, (rec = new EndpointRecorder(e.endpoint, records.historyLimits, this.events)));
        e.mono = t; // the event was just parsed for this fold alone: moved onto this session's clock in place (a copy per event cost a quarter of the rebuild)
        rec.apply(e);
        lastSeen.set(e.endpoint, t);
        progress.fromMono = Math.min(progress.fromMono ?? t, t);
        progress.events++;
        if (++batch >= BATCH) {
          batch = 0;
          await new Promise((r) => setImmediate(r));
        }
      }
    } catch {
      // Gone or unreadable since it was listed: the others still count.
    }
    // Between this log's end and the next run, nothing watched the endpoint.
    for (const [id, t] of lastSeen) past.get(id)!.unmonitoredFrom(t);
    this.bytesDone += log.bytes;
    progress.files++;
    progress.fraction = this.totalBytes ? Math.min(1, this.bytesDone / this.totalBytes) : 1;
    this.onProgress({ ...progress });
    return lastSeen;
  }

  /** Hands what was folded to the live recorders (in front of what they recorded meanwhile). */
  adopt(): RebuildProgress {
    for (const [id, rec] of this.past) if (this.records.has(id)) this.records.recorder(id).adoptPast(rec);
    this.progress.fraction = 1;
    return { ...this.progress };
  }
}
