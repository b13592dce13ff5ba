// The session log: one JSON event per line, appended as it happens.
// Lines are buffered briefly and written whole, so a crash loses at most the
// last flush interval and never leaves a corrupt line in the middle of the
// file; the reader skips a torn last line and says so.
import { closeSync, createReadStream, fsyncSync, mkdirSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { WsmonEvent } from '../shared/events';

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
    this.opts = { flushMs: 200, syncMs: 1000, rotateBytes: 64 * 1024 * 1024, keep: 5, ...options };
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a+', 0o600);
    this.size = statSync(path).size;
    // A crash may have torn the last line; start ours on a fresh line so it cannot be glued to the fragment.
    if (this.size > 0 && !endsWithNewline(this.fd, this.size)) this.size += writeSync(this.fd, '\n');
    this.timer = setInterval(() => this.flush(), this.opts.flushMs);
    this.timer.unref();
  }

  write(event: WsmonEvent): void {
    if (this.closed) return;
    const line = `${JSON.stringify(event)}\n`;
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

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.flush(true);
    closeSync(this.fd);
    this.closed = true;
  }

  private rotate(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    for (let i = this.opts.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      } catch {
        /* that generation does not exist yet */
      }
    }
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
  }
}

function endsWithNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}

export interface ReadResult {
  /** Lines that were not a complete JSON event (a torn last line after a crash, or garbage). */
  skipped: number;
}

/** Streams the events of a log file, skipping lines that are not complete JSON events. */
export async function* readSessionLog(path: string, result: ReadResult = { skipped: 0 }): AsyncGenerator<WsmonEvent> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const event = parseEventLine(line);
    if (event) yield event;
    else result.skipped++;
  }
}

/** A log line as an event, or null when it is not one. */
export function parseEventLine(line: string): WsmonEvent | null {
  try {
    const e = JSON.parse(line) as Partial<WsmonEvent> | null;
    if (e && typeof e === 'object' && typeof e.type === 'string' && typeof e.ts === 'string' && typeof e.mono === 'number') {
      return e as WsmonEvent;
    }
  } catch {
    /* torn or foreign line */
  }
  return null;
}
