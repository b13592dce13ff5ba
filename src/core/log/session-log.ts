// The session log: one JSON event per line, appended as it happens.
// Lines are buffered briefly and written whole, so a crash loses at most the
// last flush interval and never leaves a corrupt line in the middle of the
// file; the reader skips a torn last line and says so.
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, readdirSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { WsmonEvent } from '../../shared/events';
import { jsonLine } from '../../shared/printable';
import { openForStreaming, openForWrite, syncFolder, writeAll } from '../files/gate';
import { fileLines } from '../files/lines';

export interface SessionLogOptions {
  /** Buffered lines are written at least this often. */
  flushMs?: number;
  /** And synced to disk at least this often. */
  syncMs?: number;
  /** Rotate when the file grows past this size; the old file becomes PATH.1, PATH.1 becomes PATH.2, ... */
  rotateBytes?: number;
  /** Rotated files kept. */
  keep?: number;
}

/**
 * Rotation defaults: five 64 MiB generations behind the current file. Sized by
 * `npm run bench -- log-size` (BENCHMARKS.md): at least 7 days of per-minute
 * summaries for 100 endpoints survive, whatever moment the rotation happens.
 */
export const LOG_ROTATION = { rotateBytes: 64 * 1024 * 1024, keep: 5 } as const;

export class SessionLogWriter {
  private fd: number;
  private buffer: string[] = [];
  private bufferedBytes = 0;
  private size: number;
  private lastSync = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly opts: Required<SessionLogOptions>;
  private closed = false;

  constructor(
    readonly path: string,
    options: SessionLogOptions = {},
  ) {
    this.opts = { flushMs: 200, syncMs: 1000, ...LOG_ROTATION, ...options };
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Through the file gate: a new file is made 0600; an existing one must be a regular file, not a symlink or device.
    const opened = openForWrite(path, 'session log', { append: true });
    this.fd = opened.fd;
    this.size = opened.size;
    // A crash may have torn the last line; start ours on a fresh line so it cannot be glued to the fragment.
    if (this.size > 0 && !endsWithNewline(this.fd, this.size)) this.size += writeSync(this.fd, '\n');
    this.timer = setInterval(() => this.flush(), this.opts.flushMs);
    this.timer.unref();
  }

  write(event: WsmonEvent): void {
    if (this.closed) return;
    const line = `${jsonLine(event)}\n`;
    this.buffer.push(line);
    this.bufferedBytes += line.length;
    if (this.bufferedBytes >= 64 * 1024) this.flush();
  }

  /** Writes buffered lines; syncs when the last sync is older than syncMs (or when forced). */
  flush(forceSync = false): void {
    if (this.buffer.length) {
      const chunk = this.buffer.join('');
      this.buffer = [];
      this.bufferedBytes = 0;
      writeAll(this.fd, Buffer.from(chunk));
      this.size += Buffer.byteLength(chunk);
    }
    const now = Date.now();
    if (forceSync || now - this.lastSync >= this.opts.syncMs) {
      fsyncSync(this.fd);
      this.lastSync = now;
    }
    if (this.size >= this.opts.rotateBytes) this.rotate();
  }

  /**
   * Where the log ends now, everything before it on disk: what a history
   * snapshot taken at this moment holds, and where the events it does not
   * hold begin (log/snapshot.ts). Found again after rotations renamed the
   * file: by its inode and the bytes just before the cut.
   */
  cut(): LogCut {
    this.flush(true);
    const n = Math.min(this.size, CUT_MARK_BYTES);
    const mark = Buffer.alloc(n);
    readSync(this.fd, mark, 0, n, this.size - n);
    return { name: basename(this.path), ino: fstatSync(this.fd, { bigint: true }).ino.toString(), offset: this.size, mark: mark.toString('base64') };
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.flush(true);
    closeSync(this.fd);
    this.closed = true;
  }

  /**
   * PATH becomes PATH.1, PATH.1 becomes PATH.2, …; the oldest past `keep` is deleted.
   * Called only between whole chunks, so no event is ever split across two
   * generations. Each step is one rename, oldest first: a kill between two
   * steps leaves a gap in the numbers but every file in order (logGenerations).
   */
  private rotate(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    for (const g of rotatedGenerations(this.path)) {
      if (g.n >= this.opts.keep) unlinkSync(g.path);
      else renameSync(g.path, `${this.path}.${g.n + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
    syncFolder(dirname(this.path));
    this.fd = openForWrite(this.path, 'session log', { append: true }).fd;
    this.size = 0;
  }
}

/** A point in a session log (SessionLogWriter.cut): the run's log name, the file's inode, the offset and the bytes just before it (base64). */
export interface LogCut {
  name: string;
  ino: string;
  offset: number;
  mark: string;
}
const CUT_MARK_BYTES = 64;

/** Whether `file` is the one `cut` was made in: same inode, and the same bytes before the offset. */
function holdsCut(file: string, cut: LogCut): boolean {
  const fd = openForStreaming(file, 'session log');
  try {
    const st = fstatSync(fd, { bigint: true });
    const mark = Buffer.from(cut.mark, 'base64');
    if (st.ino.toString() !== cut.ino || st.size < BigInt(cut.offset) || mark.length > cut.offset) return false;
    const here = Buffer.alloc(mark.length);
    readSync(fd, here, 0, mark.length, cut.offset - mark.length);
    return here.equals(mark);
  } finally {
    closeSync(fd);
  }
}

function endsWithNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

export interface ReadResult {
  /** The files read, oldest generation first (PATH.N … PATH.1, then PATH). */
  generations: string[];
  /** Complete events read. */
  lines: number;
  /** Lines that were not a complete JSON event (a torn last line after a crash, garbage, or a line past the length bound). */
  skipped: number;
  /**
   * False when the oldest generation read does not begin with a session-start:
   * rotation already deleted the generations before it, so the session is known
   * only from `firstTs` on.
   */
  complete: boolean;
  /** Wall time of the first event read: from when the log is complete. */
  firstTs: string | null;
  /** Read from a cut (readSessionLog's `from`): whether it was found; when not, every generation was read. */
  resumed?: boolean;
}

export const emptyReadResult = (): ReadResult => ({ generations: [], lines: 0, skipped: 0, complete: true, firstTs: null });

/**
 * The rotated generations of a log that exist, oldest first, then the log itself.
 * Numbers are read from the folder, not assumed contiguous: a crash during a
 * rotation can leave a gap, and the order stays right.
 */
export function logGenerations(path: string): string[] {
  return [...rotatedGenerations(path).map((g) => g.path), ...(existsSync(path) ? [path] : [])];
}

/** The names in a folder, or none when it cannot be read (not there yet, not a folder). */
export function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** PATH.N files, highest N (oldest) first. */
function rotatedGenerations(path: string): { n: number; path: string }[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  return namesIn(dir)
    .filter((f) => f.startsWith(prefix) && /^[1-9]\d*$/.test(f.slice(prefix.length)))
    .map((f) => ({ n: Number(f.slice(prefix.length)), path: join(dir, f) }))
    .sort((a, b) => b.n - a.n);
}

/**
 * The files of a whole session log, oldest first, each checked by the file
 * gate to be a regular file: streamed whatever their size, but a FIFO would
 * block and /dev/zero never ends. A kill between a rotation's rename and the
 * reopen leaves no PATH: what exists is the session. Throws FileGateError.
 */
export function sessionFiles(path: string): string[] {
  const files = logGenerations(path);
  if (!files.length) files.push(path);
  for (const f of files) closeSync(openForStreaming(f, 'session log'));
  return files;
}

/**
 * Streams the events of a whole session log: every generation, oldest first,
 * skipping lines that are not complete JSON events. Fails like a file read
 * (ENOENT, EISDIR, …) when PATH itself cannot be read. With `from`, only what
 * was written after that cut, when the file it was made in is still there
 * (result.resumed); else the whole log.
 */
export async function* readSessionLog(path: string, result: ReadResult = emptyReadResult(), from?: LogCut): AsyncGenerator<WsmonEvent> {
  let files = sessionFiles(path);
  let start = 0;
  if (from) {
    const k = files.findIndex((f) => holdsCut(f, from));
    result.resumed = k >= 0;
    // Older generations hold only what came before the cut.
    if (k >= 0) [files, start] = [files.slice(k), from.offset];
  }
  for (const [g, file] of files.entries()) {
    result.generations.push(file);
    // Each generation is read on its own, so a torn line at the end of one is never glued to the next.
    const counts = { overlong: 0 };
    for await (const line of fileLines(file, 'session log', counts, undefined, g === 0 ? start : 0)) {
      if (!line.trim()) continue;
      const event = parseEventLine(line);
      if (!event) {
        result.skipped++;
        continue;
      }
      if (result.firstTs === null) {
        result.firstTs = event.ts;
        result.complete = event.type === 'session-start';
      }
      result.lines++;
      yield event;
    }
    result.skipped += counts.overlong;
  }
}

/** What a reader tells a person about what it read: generations, skipped lines, and whether older parts were deleted. */
export function describeRead(r: ReadResult): string {
  const parts = [`${r.lines} events from ${r.generations.length} file${r.generations.length === 1 ? '' : 's'}`];
  if (r.skipped) parts.push(`${r.skipped} unreadable line(s) skipped`);
  if (!r.complete) parts.push(`incomplete: older parts were deleted by rotation; complete from ${r.firstTs}`);
  return parts.join(', ');
}
/** A log line as an event, or null when it is not one (every reader skips and counts those, never throws). */
export function parseEventLine(line: string): WsmonEvent | null {
  try {
    const e = JSON.parse(line) as Partial<WsmonEvent> | null;
    if (
      e &&
      typeof e === 'object' &&
      typeof e.type === 'string' &&
      typeof e.ts === 'string' &&
      !Number.isNaN(Date.parse(e.ts)) &&
      typeof e.mono === 'number' &&
      Number.isFinite(e.mono) &&
      (e.endpoint === undefined || typeof e.endpoint === 'string')
    ) {
      return e as WsmonEvent;
    }
  } catch {
    /* torn or foreign line */
  }
  return null;
}
