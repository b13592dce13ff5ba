// History snapshots (core/log/snapshot.ts) against the replay they replace:
// runs simulated event by event into real session logs and live records, as
// Session keeps them; the next start's history from the snapshot and the
// logs' tail must equal the history the whole logs replayed give.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pastLogs, rebuildHistory } from '../../src/core/log/rebuild';
import { SessionLogWriter } from '../../src/core/log/session-log';
import { captureSnapshot, readSnapshot, restoreFromSnapshot, SnapshotError, writeSnapshot } from '../../src/core/log/snapshot';
import { rttThinner, type Thinner } from '../../src/core/log/thinning';
import { Records } from '../../src/core/record/records';
import { stamp, type EventBody } from '../../src/shared/events';
import { FileGateError } from '../../src/core/files/gate';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const IDS = ['a', 'b'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsmon-snap-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run as Session keeps one: a session log (thinned as set) and live records, fed the same events. */
function run(startWall: number, logRtt: 'all' | 'minute') {
  let mono = 0;
  const records = new Records({ startWall, now: () => mono });
  const log = new SessionLogWriter(join(dir, `session-${new Date(startWall).toISOString().replace(/[:.]/g, '-')}.jsonl`));
  const thin: Thinner = rttThinner(logRtt);
  const emit = (body: EventBody, id?: string) => {
    const e = stamp(body, startWall + mono, mono, id);
    records.apply(e);
    for (const line of thin(e)) log.write(line);
  };
  const up = (id: string, attempt = 0) => {
    emit({ type: 'connecting', attempt }, id);
    emit({ type: 'open', attempt, handshakeMs: 3, protocol: '' }, id);
  };
  return {
    records,
    log,
    thin,
    emit,
    /** Endpoints added and open; then `minutes` of beats every `everyMs`, b failing now and then; `at` after each beat. */
    live(minutes: number, everyMs: number, at = (_t: number) => {}) {
      if (mono === 0)
        for (const id of IDS) {
          emit({ type: 'endpoint-added', name: id, url: `ws://127.0.0.1/${id}` }, id);
          up(id);
        }
      const end = mono + minutes * MIN;
      for (let seq = 1; mono + everyMs < end; seq++) {
        mono += everyMs;
        emit({ type: 'rtt', seq, rttMs: 5 + ((seq * 7) % 13), via: 'ping', networkRttMs: 2 + (seq % 3) }, 'a');
        if (seq % 97 === 0) {
          emit({ type: 'heartbeat-missed', seq, missed: 1 }, 'b');
          emit({ type: 'close', code: 1006, reason: '', wasClean: false, initiator: 'heartbeat', uptimeMs: 1 }, 'b');
          emit({ type: 'reconnect-scheduled', attempt: 1, delayMs: 500 }, 'b');
          up('b', 1);
        } else emit({ type: 'rtt', seq, rttMs: 20 + (seq % 5), via: 'ping' }, 'b');
        at(mono);
      }
    },
    /** Writes what the thinner holds and closes the log (a crash after the last flush loses nothing more). */
    end() {
      for (const line of thin.flush()) log.write(line);
      log.close();
    },
    snapshot(path: string) {
      for (const line of thin.flush()) log.write(line);
      return writeSnapshot(path, captureSnapshot(records, log.cut()));
    },
  };
}

/** The records of a run starting at `startWall` with both endpoints added, nothing folded yet. */
function fresh(startWall: number): Records {
  const r = new Records({ startWall, now: () => 0 });
  for (const id of IDS) r.apply(stamp({ type: 'endpoint-added', name: id, url: `ws://127.0.0.1/${id}` }, startWall, 0, id));
  return r;
}

const everything = (r: Records, id: string) => ({
  history: r.recorder(id).history.query(-Infinity, Infinity),
  states: r.recorder(id).timeline.segments(-Infinity, 0, 0),
});

/**
 * Run 1 (3 h, a beat every 10 s: the raw ring wraps), an hour off, run 2 (26 h
 * of minute beats: minutes roll into hours) with its history from run 1's log
 * and a snapshot `snapAt` into it, killed at its end; then run 3 starts.
 */
async function threeRuns(logRtt: 'all' | 'minute', snapAt = 20 * HOUR) {
  const t1 = Date.UTC(2026, 10, 1, 0);
  const first = run(t1, logRtt);
  first.live(180, 10_000);
  first.end();
  const t2 = t1 + 4 * HOUR;
  const second = run(t2, logRtt);
  second.live(0, 1); // the endpoints added: history is rebuilt for the endpoints a run monitors
  await rebuildHistory(second.records, pastLogs(dir, t2, second.log.path, 30), t2, undefined, 30);
  const path = join(dir, 'history.snapshot');
  let snapped: Promise<void> | null = null;
  second.live(26 * 60, MIN, (t) => {
    if (t >= snapAt && !snapped) snapped = second.snapshot(path);
  });
  await snapped;
  second.end();
  const t3 = t2 + 30 * HOUR;
  return { path, t3 };
}

describe('history snapshot', () => {
  it('the next start from the snapshot and the log written after it has the history a replay of every log gives: every sample, bucket and state', async () => {
    const { path, t3 } = await threeRuns('all');
    const replayed = fresh(t3);
    await rebuildHistory(replayed, pastLogs(dir, t3, null), t3);
    const restored = fresh(t3);
    const done = await restoreFromSnapshot(restored, await readSnapshot(path), dir, null);
    for (const id of IDS) {
      expect(everything(restored, id)).toEqual(everything(replayed, id));
      expect(everything(restored, id).history.buckets.some((b) => b.spanMs === HOUR)).toBe(true);
    }
    expect(done.fraction).toBe(1);
    expect(done.fromMono).toBeLessThan(-29 * HOUR);
  });

  it('with RTT thinned to a line a minute, no sample is counted twice: the minute summary pending at the snapshot is logged before its cut', async () => {
    // The beat just before the snapshot is in the thinner's pending summary: logged after the cut, it would count twice.
    const { path, t3 } = await threeRuns('minute', 20 * HOUR + 30_000);
    const replayed = fresh(t3);
    await rebuildHistory(replayed, pastLogs(dir, t3, null), t3);
    const restored = fresh(t3);
    await restoreFromSnapshot(restored, await readSnapshot(path), dir, null);
    for (const id of IDS) {
      const sum = (r: Records) =>
        r
          .recorder(id)
          .history.query(-Infinity, Infinity)
          .buckets.reduce((n, b) => n + b.count, 0);
      expect(sum(restored)).toBe(sum(replayed));
      expect(everything(restored, id).states).toEqual(everything(replayed, id).states);
    }
  });

  it('a snapshot taken at quit whose cut is no longer found in its run’s log (rotated away, or the file replaced) folds only what its run logged after it', async () => {
    const { path, t3 } = await threeRuns('all', 25 * HOUR + 59 * MIN);
    const snap = await readSnapshot(path);
    const restored = fresh(t3);
    const replayed = fresh(t3);
    await rebuildHistory(replayed, pastLogs(dir, t3, null), t3);
    snap.cut = { ...snap.cut!, ino: '1' }; // no file is that one: every generation is read, only events after the snapshot's time fold
    await restoreFromSnapshot(restored, snap, dir, null);
    for (const id of IDS) expect(everything(restored, id)).toEqual(everything(replayed, id));
  });

  it('120 days of history survive restart after restart: minutes, then hours for 90 days, days before, uptime over 90 days', async () => {
    const t1 = Date.UTC(2026, 5, 1);
    const first = run(t1, 'minute');
    // A beat every 5 minutes: 1,440 minute buckets hold 5 days, then 90 days of hours, then days.
    first.live(120 * 1440, 5 * MIN);
    const path = join(dir, 'history.snapshot');
    await first.snapshot(path);
    first.end();
    // Two restarts, each from the snapshot the one before wrote at its quit (no log of its own in between).
    let t = t1 + 121 * DAY;
    let records = fresh(t);
    await restoreFromSnapshot(records, await readSnapshot(path), dir, null);
    const once = everything(records, 'a');
    t += DAY;
    const second = fresh(t);
    await writeSnapshot(path, captureSnapshot(records, null));
    await restoreFromSnapshot(second, await readSnapshot(path), dir, null);
    records = second;
    const buckets = records.recorder('a').history.query(-Infinity, Infinity).buckets;
    expect(buckets[0]!.t).toBe(-122 * DAY); // day 0 of the first run, 122 days before this one
    expect(buckets.filter((b) => b.spanMs === DAY).length).toBeGreaterThanOrEqual(24);
    expect(buckets.filter((b) => b.spanMs === HOUR).length).toBe(90 * 24);
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(120 * 288 - 1);
    // The same history, a day later on the clock.
    expect(
      records
        .recorder('a')
        .history.query(-Infinity, Infinity)
        .buckets.map((b) => b.t + DAY),
    ).toEqual(once.history.buckets.map((b) => b.t));
    const b = records.recorder('b');
    const quarter = b.timeline.uptime(-90 * DAY, 0);
    // Its reconnects take no time in this simulation: up all the monitored time, judged over the whole 90 days (the hours reach back).
    expect(quarter.value).toBe(1);
    expect(quarter.since).toBeLessThanOrEqual(-90 * DAY);
  });

  it('written while the session goes on, a snapshot of many endpoints holds each ring as it stood at the capture, and the loop turns throughout', async () => {
    const startWall = Date.UTC(2026, 10, 1);
    let mono = 0;
    const records = new Records({ startWall, now: () => mono });
    const ids = Array.from({ length: 600 }, (_, i) => `e${i}`);
    for (const id of ids) records.apply(stamp({ type: 'endpoint-added', name: id, url: `ws://127.0.0.1/${id}` }, startWall, 0, id));
    const beat = (seq: number) => {
      mono = seq * 1000;
      for (const id of ids) records.apply(stamp({ type: 'rtt', seq, rttMs: seq % 50, via: 'ping' }, startWall + mono, mono, id));
    };
    // 1,600 beats: each raw ring (1,536 rows) full and wrapped when the snapshot is captured.
    let seq = 0;
    while (seq < 1600) beat(++seq);
    const path = join(dir, 'history.snapshot');
    const capturedAt = seq;
    let done = false;
    const writing = writeSnapshot(path, captureSnapshot(records, null)).finally(() => (done = true));
    // Every turn of the loop while it writes: a beat on every endpoint, overwriting the oldest held rows.
    let turns = 0;
    await new Promise<void>((resolve) => {
      const turn = () => {
        if (done) return resolve();
        turns++;
        beat(++seq);
        setImmediate(turn);
      };
      setImmediate(turn);
    });
    await writing;
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(10 * (1 << 20));
    expect(turns).toBeGreaterThanOrEqual(Math.floor(size / (1 << 20)));
    expect(seq - capturedAt).toBe(turns);
    const back = await readSnapshot(path);
    expect(back.endpoints.map((e) => e.id)).toEqual(ids);
    const held = Array.from({ length: 1536 }, (_, k) => startWall + (capturedAt - 1535 + k) * 1000);
    for (const { past } of back.endpoints) {
      expect(Array.from(past.history.raw.cols.t!)).toEqual(held);
      expect(past.history.raw.cols.v![1535]).toBe(capturedAt % 50);
    }
  });

  it('refuses a damaged, cut-off, foreign or symlinked snapshot in one sentence; none at all is ENOENT', async () => {
    const { path } = await threeRuns('all');
    const bytes = readFileSync(path);
    const bad = async (content: Buffer) => {
      writeFileSync(path, content);
      return readSnapshot(path).then(
        () => 'read',
        (e: Error) => (e instanceof SnapshotError ? e.message : `not a SnapshotError: ${e.message}`),
      );
    };
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 100]! ^= 1;
    expect(await bad(flipped)).toBe('its checksum does not match (damaged)');
    expect(await bad(bytes.subarray(0, bytes.length >> 1))).toBe('it is shorter than its header says (cut off)');
    expect(await bad(Buffer.from('{"not":"a snapshot"}'))).toBe('it is not a wsmon history snapshot');
    const header = Buffer.from(bytes);
    header.write('{"layout":"x"', 12); // still the same length: the layout check, not the JSON parse, refuses it
    expect(await bad(header)).toBe('its header is not one this version of wsmon writes');
    expect(await bad(Buffer.concat([bytes, Buffer.from('x')]))).toBe('it is longer than its header says');
    rmSync(path);
    await expect(readSnapshot(path)).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(join(dir, 'elsewhere'), bytes);
    symlinkSync(join(dir, 'elsewhere'), path);
    await expect(readSnapshot(path)).rejects.toBeInstanceOf(FileGateError);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
