// A past session log, read back into the same records the live session keeps,
// so the window can show it with the same views, read-only.
import { Records, type SessionTime } from '../record/records';
import { describeRead, emptyReadResult, readSessionLog, type ReadResult } from './session-log';

export class LogReplay implements SessionTime {
  startWall = 0;
  private end = 0;
  readonly records = new Records(this);
  /** What was read: generations, skipped lines, whether rotation had deleted older parts. */
  readonly read: ReadResult = emptyReadResult();

  private constructor(readonly source: string) {}

  /** Streams the log (every generation) into bounded recorders: a log larger than memory opens. */
  static async load(path: string): Promise<LogReplay> {
    const replay = new LogReplay(path);
    let first = true;
    for await (const e of readSessionLog(path, replay.read)) {
      if (first) replay.startWall = Date.parse(e.ts) - e.mono;
      first = false;
      replay.end = Math.max(replay.end, e.mono);
      replay.records.apply(e);
    }
    return replay;
  }

  /** The end of the log: a past session's "now". */
  now(): number {
    return this.end;
  }

  /** A sentence for the window: what was read, and whether it is the whole session. */
  describe(): string {
    return describeRead(this.read);
  }
}
