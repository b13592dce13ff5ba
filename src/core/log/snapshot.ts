// History across restarts without replaying the week: the records' long-term
// part (each endpoint's history rings and state timeline) written to one file
// hourly and at quit, and read back at start, followed by the session logs'
// events written since (the tail). A snapshot is a cache: when it is missing,
// unreadable or from another layout, the logs are replayed as before.
//
// File: "WSMONHS1", a u32 header length, the header (JSON: where the snapshot
// was cut in the session log, and per endpoint its state and row counts), each
// endpoint's ring columns in order (native byte order: a cache of this
// machine, not an exchange format), then the SHA-256 of everything before it.
// Written atomically (files/gate writeAtomicParts): a kill mid-write leaves
// the previous snapshot.
import { closeSync, fstatSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { CONN_STATES } from '../../shared/status';
import { History } from '../record/history';
import { EndpointRecorder, type RecorderPast } from '../record/recorder';
import type { Records } from '../record/records';
import { HeldRows, type Column, type Ctor, type RingRows } from '../record/ring';
import { StateTimeline } from '../record/timeline';
import { FileGateError, openForStreaming, writeAtomicParts } from '../files/gate';
import { PastFold, type RebuildProgress } from './rebuild';
import { namesIn, type LogCut } from './session-log';

export const SNAPSHOT_FILE = 'history.snapshot';
/**
 * How often a running session writes one (and at quit). A crash loses
 * nothing (the tail since the last snapshot is replayed); an hour's tail is
 * ~6,000 lines for 100 endpoints at per-minute thinning (tens of ms), while
 * the write (≈16 MB for 100 endpoints with full rings) happens 24 times a day.
 */
export const SNAPSHOT_EVERY_MS = 3_600_000;

const MAGIC = Buffer.from('WSMONHS1');
const DIGEST_BYTES = 32;
const MAX_HEADER_BYTES = 64 * 1024 * 1024;
/** Rows read per ring at most (the rings keep their newest capacity of them): a corrupt count cannot make us allocate more. */
const MAX_ROWS = 1 << 20;
/** Endpoints read between yields to the event loop: the live session keeps running meanwhile. */
const YIELD_EVERY = 50;
/** Endpoints whose header is built between yields when writing (about 1.5 KB of JSON each). */
const SLICE = 100;
/** Ring bytes copied and written at a time: the loop waits for one chunk's copy, about a millisecond. */
const CHUNK_BYTES = 1 << 20;

type Layout = Record<string, Ctor>;
/** Each endpoint's rings, in file order: where each sits in a RecorderPast, and its columns. */
const RINGS: { name: 'raw' | 'minutes' | 'hours' | 'days' | 'timeline' | 'uptime'; layout: Layout; get(p: RecorderPast): RingRows }[] = [
  { name: 'raw', layout: History.layout.raw, get: (p) => p.history.raw },
  { name: 'minutes', layout: History.layout.minutes, get: (p) => p.history.minutes },
  { name: 'hours', layout: History.layout.hours, get: (p) => p.history.hours },
  { name: 'days', layout: History.layout.days, get: (p) => p.history.days },
  { name: 'timeline', layout: StateTimeline.layout, get: (p) => p.timeline.transitions },
  { name: 'uptime', layout: StateTimeline.hourLayout, get: (p) => p.timeline.hours },
];
/** The columns' names and widths: a snapshot written with other columns is not read (another version of wsmon). */
const LAYOUT = RINGS.map((r) => `${r.name}(${Object.entries(r.layout).map(([k, C]) => `${k}:${C.BYTES_PER_ELEMENT}`)})`).join(' ');

export interface Snapshot {
  /** When it was taken: wall clock, and the clock of the session that took it (its log's `mono`). */
  wall: number;
  mono: number;
  /** Where its session's log stood (null: that session kept none). */
  cut: LogCut | null;
  /** Each endpoint's past, times on the wall clock. */
  endpoints: { id: string; past: RecorderPast }[];
}

/**
 * The records' long-term part now: what each endpoint holds besides its rings
 * copied, its rings held (ColumnRing.hold) and read one endpoint at a time as
 * writeSnapshot comes to them, as they stood now however they change meanwhile.
 */
export function captureSnapshot(records: Records, cut: LogCut | null): Snapshot {
  return {
    wall: records.startWall + records.now(),
    mono: records.now(),
    cut,
    endpoints: records.ids().map((id) => ({ id, past: records.recorder(id).pastState(records.startWall) })),
  };
}

const count = z.number().int().min(0).max(MAX_ROWS);
const row = z.array(z.number().nullable());
const endpointSchema = z.object({
  id: z.string(),
  state: z.enum(CONN_STATES),
  down: z.boolean(),
  lastT: z.number().nullable(),
  rows: z.object({ raw: count, minutes: count, hours: count, days: count, timeline: count, uptime: count }),
  uptimeOpen: z.object({ t: z.number(), up: z.number(), on: z.number() }).nullable(),
  minuteT: z.number().nullable(),
  hourT: z.number().nullable(),
  dayT: z.number().nullable(),
  minute: row,
  hour: row,
  day: row,
});
const headerSchema = z.object({
  layout: z.literal(LAYOUT),
  wall: z.number(),
  mono: z.number(),
  cut: z.object({ name: z.string(), ino: z.string(), offset: z.number().int().min(0), mark: z.string() }).nullable(),
  endpoints: z.array(endpointSchema),
});
type Header = z.infer<typeof headerSchema>;

const bytesOf = (c: Column) => new Uint8Array(c.buffer, c.byteOffset, c.byteLength);

const endpointHeader = ({ id, past }: Snapshot['endpoints'][number]): z.infer<typeof endpointSchema> => ({
  id,
  state: past.state,
  down: past.down,
  lastT: past.lastT,
  rows: {
    raw: past.history.raw.length,
    minutes: past.history.minutes.length,
    hours: past.history.hours.length,
    days: past.history.days.length,
    timeline: past.timeline.transitions.length,
    uptime: past.timeline.hours.length,
  },
  uptimeOpen: past.timeline.open,
  minuteT: past.history.minuteT,
  hourT: past.history.hourT,
  dayT: past.history.dayT,
  minute: past.history.minute,
  hour: past.history.hour,
  day: past.history.day,
});

/**
 * Writes `snapshot` to `path` atomically, the event loop free between
 * slices: the header is built SLICE endpoints at a time, then the rings are
 * read (copied from where captureSnapshot held them) and written in chunks of
 * about CHUNK_BYTES, so neither the wait nor the memory grows with the number
 * of endpoints. Each ring held is let go if the write fails.
 */
export async function writeSnapshot(path: string, snapshot: Snapshot): Promise<void> {
  const { endpoints } = snapshot;
  try {
    const head = JSON.stringify({ layout: LAYOUT, wall: snapshot.wall, mono: snapshot.mono, cut: snapshot.cut } satisfies Omit<Header, 'endpoints'>);
    const json: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"endpoints":[`)];
    for (let at = 0; at < endpoints.length; at += SLICE) {
      const slice = endpoints.slice(at, at + SLICE).map((e) => JSON.stringify(endpointHeader(e)));
      json.push(Buffer.from(`${at ? ',' : ''}${slice.join(',')}`));
      await new Promise((r) => setImmediate(r));
    }
    json.push(Buffer.from(']}'));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.reduce((n, b) => n + b.length, 0));
    await writeAtomicParts(path, snapshotParts([MAGIC, length, ...json], endpoints), 'history snapshot');
  } finally {
    releaseSnapshot(snapshot);
  }
}

/** An endpoint's rings in a past, in file order. */
export const ringsOf = (past: RecorderPast): RingRows[] => RINGS.map((ring) => ring.get(past));

/** Lets go of every ring `snapshot` still holds unread (written, failed, or not to be written): they stop keeping rows for it. */
export function releaseSnapshot(snapshot: Snapshot): void {
  for (const { past } of snapshot.endpoints) for (const rows of ringsOf(past)) if (rows instanceof HeldRows) rows.release();
}

/**
 * The file after its header: each endpoint's rings read in turn into a chunk,
 * then the digest. writeAtomicParts asks for a part only once the one before
 * is written, so the rings are read as the write comes to them and one
 * chunk serves the whole file.
 */
function* snapshotParts(header: Uint8Array[], endpoints: Snapshot['endpoints']): Generator<Uint8Array> {
  const hash = createHash('sha256');
  for (const p of header) hash.update(p);
  yield* header;
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const { past } of endpoints)
    for (const ring of RINGS) {
      const rows = ring.get(past);
      const cols = rows instanceof HeldRows ? rows.take() : rows.cols;
      for (const k of Object.keys(ring.layout)) {
        const bytes = bytesOf(cols[k]!);
        for (let off = 0; off < bytes.length;) {
          const n = Math.min(bytes.length - off, CHUNK_BYTES - used);
          chunk.set(bytes.subarray(off, off + n), used);
          used += n;
          off += n;
          if (used === CHUNK_BYTES) {
            hash.update(chunk);
            yield chunk;
            used = 0;
          }
        }
      }
    }
  const last = chunk.subarray(0, used);
  hash.update(last);
  yield last;
  yield hash.digest();
}

/** A snapshot that cannot be used, in one sentence (the logs are replayed instead). */
export class SnapshotError extends Error {}

/**
 * Reads a snapshot written by writeSnapshot, checking its digest; throws
 * SnapshotError (or FileGateError: ENOENT when there is none). Memory: one
 * endpoint's rings at a time besides what is returned.
 */
export async function readSnapshot(path: string): Promise<Snapshot> {
  const fd = openForStreaming(path, 'history snapshot', { followSymlinks: false });
  try {
    const size = fstatSync(fd).size;
    const hash = createHash('sha256');
    let pos = 0;
    const take = (n: number): Buffer => {
      if (pos + n > size - DIGEST_BYTES) throw new SnapshotError('it is shorter than its header says (cut off)');
      const buf = Buffer.alloc(n);
      for (let off = 0; off < n;) {
        const got = readSync(fd, buf, off, n - off, pos + off);
        if (!got) throw new SnapshotError('it ends early');
        off += got;
      }
      pos += n;
      hash.update(buf);
      return buf;
    };
    const magic = Buffer.alloc(MAGIC.length);
    readSync(fd, magic, 0, MAGIC.length, 0);
    if (!magic.equals(MAGIC)) throw new SnapshotError('it is not a wsmon history snapshot');
    take(MAGIC.length);
    const headerBytes = take(4).readUInt32LE();
    if (headerBytes > MAX_HEADER_BYTES) throw new SnapshotError(`its header claims ${headerBytes} bytes`);
    let header: Header;
    try {
      header = headerSchema.parse(JSON.parse(take(headerBytes).toString('utf8')));
    } catch (e) {
      if (e instanceof SnapshotError) throw e;
      throw new SnapshotError('its header is not one this version of wsmon writes');
    }
    const endpoints: Snapshot['endpoints'] = [];
    for (const [i, h] of header.endpoints.entries()) {
      const rings = Object.fromEntries(
        RINGS.map((ring) => {
          const length = h.rows[ring.name];
          const cols = Object.fromEntries(
            Object.entries(ring.layout).map(([k, C]) => {
              const col = new C(length);
              bytesOf(col).set(take(col.byteLength));
              return [k, col];
            }),
          );
          return [ring.name, { length, cols }];
        }),
      ) as Record<(typeof RINGS)[number]['name'], RingRows>;
      const { raw, minutes, hours, days, timeline: transitions, uptime } = rings;
      const timeline = { transitions, hours: uptime, open: h.uptimeOpen };
      const history = { raw, minutes, hours, days, minuteT: h.minuteT, hourT: h.hourT, dayT: h.dayT, minute: h.minute, hour: h.hour, day: h.day };
      endpoints.push({ id: h.id, past: { state: h.state, down: h.down, lastT: h.lastT, history, timeline } });
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
    }
    if (size !== pos + DIGEST_BYTES) throw new SnapshotError('it is longer than its header says');
    const digest = Buffer.alloc(DIGEST_BYTES);
    readSync(fd, digest, 0, DIGEST_BYTES, pos);
    if (!digest.equals(hash.digest())) throw new SnapshotError('its checksum does not match (damaged)');
    return { wall: header.wall, mono: header.mono, cut: header.cut, endpoints };
  } finally {
    closeSync(fd);
  }
}

/**
 * Brings history back from `snapshot`, then the events logged after it:
 * the rest of its session's log (from the cut) and every later run's log in
 * `logsDir` but this session's own (`ownLog`), as rebuildHistory folds them.
 * Endpoints not monitored now are skipped.
 */
export async function restoreFromSnapshot(
  records: Records,
  snapshot: Snapshot,
  logsDir: string,
  ownLog: string | null,
  onProgress: (p: RebuildProgress) => void = () => {},
): Promise<RebuildProgress> {
  const startWall = records.startWall;
  // Runs' log names begin with their start time: the snapshot's run and those after it, oldest first; another run's
  // log last written before the snapshot was taken holds nothing after it.
  const writtenSince = (n: string) => (statSync(join(logsDir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0) >= snapshot.wall;
  const names = namesIn(logsDir)
    .filter((n) => /^session-.*\.jsonl$/.test(n) && join(logsDir, n) !== ownLog)
    .filter((n) => (snapshot.cut === null ? writtenSince(n) : n === snapshot.cut.name || (n > snapshot.cut.name && writtenSince(n))))
    .sort();
  const logs = names.map((n) => ({ path: join(logsDir, n), bytes: 1 }));
  const fold = new PastFold(records, startWall, logs.length, onProgress);
  for (const { id, past } of snapshot.endpoints) {
    if (!records.has(id)) continue;
    const rec = EndpointRecorder.fromPast(id, past, -startWall, records.historyLimits);
    fold.past.set(id, rec);
    const since = Math.min(rec.history.since ?? Infinity, rec.timeline.since ?? Infinity);
    if (since < Infinity) fold.progress.fromMono = Math.min(fold.progress.fromMono ?? since, since);
  }
  // The snapshot's endpoints quiet since it was taken: unmonitored from their last event, as a replay of its run's log would say.
  const quiet = (seen: Map<string, number>) => {
    for (const [id, rec] of fold.past) if (!seen.has(id) && rec.lastEventT !== null) rec.unmonitoredFrom(rec.lastEventT);
  };
  const cutLog = snapshot.cut ? logs.find((l) => basename(l.path) === snapshot.cut!.name) : undefined;
  if (!cutLog) quiet(new Map());
  for (const log of logs) {
    if (log === cutLog) quiet(await fold.log(log, { from: snapshot.cut!, afterMono: snapshot.mono }));
    // Another run's: only what happened after the snapshot (all of it, for a later run; none, for one before a snapshot without a cut).
    else await fold.log(log, { sinceT: snapshot.wall - startWall });
  }
  return fold.adopt();
}

/** Whether `e` says there is no snapshot at all (not a problem to report: the first run, or one before snapshots). */
export const noSnapshot = (e: unknown) => e instanceof FileGateError && e.code === 'ENOENT';
