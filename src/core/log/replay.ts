// A past session log, read back into the same recorders the live engine uses,
// so the window can show it with the same views, read-only.
import { UnknownEndpointError } from '../engine/monitor';
import { EndpointRecorder } from '../record/recorder';
import { describeRead, emptyReadResult, readSessionLog, type ReadResult } from './session-log';
import type { EndpointStatus } from '../../shared/status';

export class LogReplay {
  startWall = 0;
  private end = 0;
  private readonly recorders = new Map<string, EndpointRecorder>();
  /** What was read: generations, skipped lines, whether rotation had deleted older parts. */
  read: ReadResult = emptyReadResult();

  private constructor(readonly source: string) {}

  /** Streams the log into bounded recorders: a log larger than memory opens. */
  static async load(path: string): Promise<LogReplay> {
    const replay = new LogReplay(path);
    let first = true;
    for await (const e of readSessionLog(path, replay.read)) {
      if (first) replay.startWall = Date.parse(e.ts) - e.mono;
      first = false;
      replay.end = Math.max(replay.end, e.mono);
      if (e.endpoint === undefined) continue;
      let r = replay.recorders.get(e.endpoint);
      if (!r) replay.recorders.set(e.endpoint, (r = new EndpointRecorder(e.endpoint)));
      r.apply(e);
    }
    return replay;
  }

  now(): number {
    return this.end;
  }
  ids(): string[] {
    return [...this.recorders.keys()];
  }
  recorder(id: string): EndpointRecorder {
    const r = this.recorders.get(id);
    if (!r) throw new UnknownEndpointError(id);
    return r;
  }
  /** A sentence for the window: what was read, and whether it is the whole session. */
  describe(): string {
    return describeRead(this.read);
  }
  list(): EndpointStatus[] {
    return this.ids().map((id) => this.recorder(id).status(this.end));
  }
}
