// 9. History at start: what a data folder holds after a week — 7 daily session
// logs of 100 endpoints at per-minute thinning (one RTT summary line per
// endpoint per minute, an outage every 6 hours) — replayed into the records
// (how the app began before history snapshots, and still does without one):
// time, and memory per endpoint; the floor, measured in the same run: reading
// and parsing the same files without folding them. Then what the app does
// now: the history snapshot those records make, read back with the hour of
// log written after it (a crash just before the next hourly snapshot: the
// longest tail), for the same 100 endpoints and for 1,000; and what taking
// the hourly snapshot of those 1,000 costs the running session.
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildHistory } from '../src/core/log/rebuild';
import { readSessionLog, SessionLogWriter, type LogCut } from '../src/core/log/session-log';
import { captureSnapshot, readSnapshot, releaseSnapshot, restoreFromSnapshot, ringsOf, writeSnapshot, type Snapshot } from '../src/core/log/snapshot';
import { rttThinner } from '../src/core/log/thinning';
import { Records } from '../src/core/record/records';
import { stamp, type EventBody } from '../src/shared/events';
import { fmt, HISTORY_BOUND_KB, report } from './lib';
import { boundHeapGrowth } from '../src/core/app/heap-growth';

// As wsmon's own processes run (the CLI and Electron's main), where a rebuild happens at start.
boundHeapGrowth();

const N = 100;
const DAYS = 7;
const DAY = 86_400_000;
const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'wsmon-rebuild-'));
const startWall = Math.floor(Date.now() / MIN) * MIN; // this session began now; the logs cover the week before
const ids = Array.from({ length: N }, (_, i) => `e${i}`);

const logs: { path: string; bytes: number }[] = [];
for (let d = DAYS; d >= 1; d--) {
  const dayStart = startWall - d * DAY;
  const path = join(dir, `session-${new Date(dayStart).toISOString().replace(/[:.]/g, '-')}.jsonl`);
  let mono = 0;
  const line = (body: EventBody, endpoint?: string) => `${JSON.stringify(stamp(body, dayStart + mono, mono, endpoint))}\n`;
  appendFileSync(path, line({ type: 'session-start', app: 'wsmon', version: 'bench' }));
  appendFileSync(
    path,
    ids
      .flatMap((id) => [
        line({ type: 'endpoint-added', name: id, url: `ws://127.0.0.1/${id}` }, id),
        line({ type: 'connecting', attempt: 0 }, id),
        line({ type: 'open', attempt: 0, handshakeMs: 1, protocol: '' }, id),
      ])
      .join(''),
  );
  for (let m = 1; m < 1440; m++) {
    mono = m * MIN;
    let chunk = '';
    for (const [i, id] of ids.entries()) {
      chunk += line({ type: 'rtt', seq: m * 60, rttMs: 5 + ((m * 7 + i) % 40) / 4, via: 'ping', samples: 60, minMs: 4, maxMs: 20 }, id);
      if ((m + i) % 360 === 0) {
        chunk += line({ type: 'close', code: 1006, reason: '', wasClean: false, initiator: 'server', uptimeMs: 1 }, id);
        chunk += line({ type: 'reconnect-scheduled', attempt: 1, delayMs: 1000 }, id);
        chunk += line({ type: 'connecting', attempt: 1 }, id);
        chunk += line({ type: 'open', attempt: 1, handshakeMs: 1, protocol: '' }, id);
      }
    }
    appendFileSync(path, chunk);
  }
  appendFileSync(path, line({ type: 'session-end', app: 'wsmon', version: 'bench' }));
  logs.push({ path, bytes: statSync(path).size });
}
const totalMB = logs.reduce((n, l) => n + l.bytes, 0) / 1e6;

/**
 * JavaScript heap plus typed-array memory (the history rings are typed arrays, outside the heap), after collections
 * until it stops falling: one collection left up to 29 KB an endpoint of it either way between runs (244–348 KB
 * where three gave 245–246 KB), as typed arrays died in one and were counted freed in the next.
 */
const heapMB = () => {
  const now = () => {
    global.gc?.();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  let last = now();
  for (let i = 0, next = now(); i < 10 && next < last; i++, next = now()) last = next;
  return last / 1e6;
};

// The floor: the same files read and parsed, nothing folded.
let t = performance.now();
let lines = 0;
for (const l of logs) for await (const _ of readSessionLog(l.path)) lines++;
const parseMs = performance.now() - t;

// The rebuild, as Session does it: the endpoints exist, their past is folded in.
const records = new Records({ startWall, now: () => 0 });
for (const id of ids) records.apply(stamp({ type: 'endpoint-added', name: id, url: `ws://127.0.0.1/${id}` }, startWall, 0, id));
const before = heapMB();
t = performance.now();
const done = await rebuildHistory(records, logs, startWall);
const rebuildMs = performance.now() - t;
const perEndpointKB = ((heapMB() - before) * 1e6) / N / 1024;
const historyKB = ids.reduce((n, id) => n + records.recorder(id).history.bytes + records.recorder(id).timeline.bytes, 0) / N / 1024;
const reachDays = -(done.fromMono ?? 0) / DAY;

/**
 * The snapshot of `n` endpoints (the replayed records' rings, under n names), cut at the start of a
 * run's log holding the hour after it; then a start an hour and a minute later, from both: seconds.
 */
async function fromSnapshot(n: number): Promise<{ ms: number; mb: number; tailLines: number; reachDays: number; next: Records }> {
  const runDir = mkdtempSync(join(tmpdir(), 'wsmon-snapshot-'));
  const runIds = Array.from({ length: n }, (_, i) => `e${i}`);
  const log = new SessionLogWriter(join(runDir, `session-${new Date(startWall).toISOString().replace(/[:.]/g, '-')}.jsonl`));
  const cut: LogCut = log.cut();
  for (let m = 1; m <= 60; m++)
    for (const id of runIds)
      log.write(stamp({ type: 'rtt', seq: m, rttMs: 7, via: 'ping', samples: 60, minMs: 4, maxMs: 20 }, startWall + m * MIN, m * MIN, id));
  log.close();
  const taken = captureSnapshot(records, cut);
  readAll(taken); // kept: the same rows are written under ten names
  const snapshot: Snapshot = { ...taken, endpoints: runIds.map((id, i) => ({ id, past: taken.endpoints[i % N]!.past })) };
  const path = join(runDir, 'history.snapshot');
  await writeSnapshot(path, snapshot);
  const mb = statSync(path).size / 1e6;
  const later = startWall + 61 * MIN;
  const next = new Records({ startWall: later, now: () => 0 });
  for (const id of runIds) next.apply(stamp({ type: 'endpoint-added', name: id, url: `ws://127.0.0.1/${id}` }, later, 0, id));
  const t0 = performance.now();
  const back = await restoreFromSnapshot(next, await readSnapshot(path), runDir, null);
  const ms = performance.now() - t0;
  rmSync(runDir, { recursive: true, force: true });
  return { ms, mb, tailLines: back.events, reachDays: -(back.fromMono ?? 0) / DAY, next };
}

/** Every held ring of `snapshot` read now and kept, as the capture did before rings were held; the bytes copied. */
function readAll(snapshot: Snapshot): number {
  let bytes = 0;
  for (const { past } of snapshot.endpoints) for (const rows of ringsOf(past)) for (const c of Object.values(rows.cols)) bytes += c.byteLength;
  return bytes;
}

/**
 * Taking the hourly snapshot of `records`, as Session does (capture, then
 * write): how long the event loop waits at the capture, and the longest it
 * waits at once while the file is written (the longest gap between two turns
 * of a 5 ms timer), replacing the snapshot before it as each hour's does.
 * The baseline, in the same run: the capture with every ring copied at once,
 * as it was before rings were held.
 */
async function takeSnapshot(
  records: Records,
): Promise<{ copyAllMs: number; copyAllMB: number; captureMs: number; longestMs: number; writeMs: number; largestKB: number }> {
  const path = join(dir, 'history.snapshot');
  let t0 = performance.now();
  const copied = captureSnapshot(records, null);
  const copyAllMB = readAll(copied) / 1e6;
  const copyAllMs = performance.now() - t0;
  await writeSnapshot(path, copied); // the last hour's, which the measured one replaces
  const largestKB = Math.max(...records.ids().map((id) => records.recorder(id).history.bytes + records.recorder(id).timeline.bytes)) / 1024;
  // The capture's wait: the median of five (each let go after, as a failed write lets its snapshot go).
  const waits: number[] = [];
  for (let k = 0; k < 5; k++) {
    global.gc?.();
    t0 = performance.now();
    const held = captureSnapshot(records, null);
    waits.push(performance.now() - t0);
    releaseSnapshot(held);
  }
  const captureMs = waits.sort((a, b) => a - b)[2]!;
  const taken = captureSnapshot(records, null);
  let longestMs = 0;
  let lastTurn = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longestMs = Math.max(longestMs, now - lastTurn);
    lastTurn = now;
  }, 5);
  t0 = performance.now();
  await writeSnapshot(path, taken);
  const writeMs = performance.now() - t0;
  clearInterval(timer);
  longestMs = Math.max(longestMs, performance.now() - lastTurn);
  rmSync(path);
  return { copyAllMs, copyAllMB, captureMs, longestMs, writeMs, largestKB };
}

/**
 * The hourly snapshot's moment at `n` endpoints, as Session takes it, the
 * event loop waiting throughout: the RTT summaries pending in the thinner
 * written and the log cut, then the capture. Rings a few minutes full (a hold
 * costs the same however full its ring); the median of five.
 */
function momentAt(n: number): { flushMs: number; captureMs: number } {
  const wall = Date.now();
  let mono = 0;
  const records = new Records({ startWall: wall, now: () => mono });
  const runDir = mkdtempSync(join(tmpdir(), 'wsmon-moment-'));
  const log = new SessionLogWriter(join(runDir, 'session-moment.jsonl'));
  const thin = rttThinner('minute');
  const names = Array.from({ length: n }, (_, i) => `m${i}`);
  for (const id of names) records.apply(stamp({ type: 'endpoint-added', name: id, url: `ws://127.0.0.1/${id}` }, wall, 0, id));
  const flushes: number[] = [];
  const captures: number[] = [];
  for (let seq = 1; flushes.length < 5; seq++) {
    mono = seq * 10_000;
    for (const id of names) {
      const e = stamp({ type: 'rtt', seq, rttMs: 5 + (seq % 7), via: 'ping', networkRttMs: 1.5 }, wall + mono, mono, id);
      records.apply(e);
      for (const line of thin(e)) log.write(line);
    }
    if (seq % 20 !== 5) continue;
    global.gc?.();
    let t0 = performance.now();
    for (const line of thin.flush()) log.write(line);
    const cut = log.cut();
    flushes.push(performance.now() - t0);
    t0 = performance.now();
    const held = captureSnapshot(records, cut);
    captures.push(performance.now() - t0);
    releaseSnapshot(held);
  }
  log.close();
  rmSync(runDir, { recursive: true, force: true });
  const median = (a: number[]) => a.sort((x, y) => x - y)[2]!;
  return { flushMs: median(flushes), captureMs: median(captures) };
}

const snap100 = await fromSnapshot(N);
const snap1000 = await fromSnapshot(10 * N);
const taking = await takeSnapshot(snap1000.next);
const moment = momentAt(10_000);
rmSync(dir, { recursive: true, force: true });

report({
  title: 'History rebuild',
  command: 'npm run bench -- rebuild',
  table: [
    ['measure', 'value'],
    [`session logs (${DAYS} days × ${N} endpoints, per-minute thinning)`, `${logs.length} files, ${fmt(totalMB, 0)} MB, ${lines} lines`],
    ['read and parse only (floor)', `${fmt(parseMs / 1000, 2)} s`],
    ['replay (read, parse, fold into the records)', `${fmt(rebuildMs / 1000, 2)} s (${fmt(rebuildMs / parseMs, 2)}× the floor)`],
    [
      `from the snapshot + an hour of log, ${N} endpoints`,
      `${fmt(snap100.ms / 1000, 2)} s (${fmt(snap100.ms / rebuildMs, 3)}× the replay; ${fmt(snap100.mb, 1)} MB snapshot, ${snap100.tailLines} tail lines)`,
    ],
    [
      `from the snapshot + an hour of log, ${10 * N} endpoints`,
      `${fmt(snap1000.ms / 1000, 2)} s (${fmt(snap1000.mb, 0)} MB snapshot, ${snap1000.tailLines} tail lines)`,
    ],
    [
      `the hourly snapshot of ${10 * N} endpoints: the event loop waits at its capture`,
      `${fmt(taking.captureMs, 1)} ms, median of 5 (every ring copied at once, as before: ${fmt(taking.copyAllMs, 0)} ms, ${fmt(taking.captureMs / taking.copyAllMs, 3)}×)`,
    ],
    [
      'writing it: the longest the event loop waits at once; the whole write',
      `${fmt(taking.longestMs, 1)} ms; ${fmt(taking.writeMs / 1000, 2)} s (${fmt(snap1000.mb, 0)} MB)`,
    ],
    [
      "the hourly snapshot's moment at 10,000 endpoints: summaries pending written and the log cut; the capture (the event loop waits)",
      `${fmt(moment.flushMs, 0)} ms; ${fmt(moment.captureMs, 0)} ms (medians of 5)`,
    ],
    [
      'memory it holds while it is written',
      `a 1 MiB chunk and one endpoint's rings (at most ${fmt(taking.largestKB, 0)} KB); every ring copied at once: ${fmt(taking.copyAllMB, 0)} MB`,
    ],
    ['history reaches back (replay; from the snapshot)', `${fmt(reachDays, 2)} days; ${fmt(snap100.reachDays, 2)} days`],
    ['history + state timeline per endpoint after the rebuild', `${fmt(historyKB, 1)} KB`],
    ['memory added per endpoint by the rebuild (heap + typed arrays)', `${fmt(perEndpointKB, 1)} KB`],
  ],
  goals: [
    {
      goal: `history per endpoint ≤ ${HISTORY_BOUND_KB} KB after a 7-day rebuild (the bound of a live session)`,
      met: historyKB <= HISTORY_BOUND_KB,
      measured: `${fmt(historyKB, 1)} KB`,
    },
    { goal: 'the whole week is rebuilt', met: reachDays > DAYS - 0.01, measured: `${fmt(reachDays, 2)} days` },
    { goal: `${DAYS} days × ${N} endpoints back from the snapshot in ≤ 1 s`, met: snap100.ms <= 1000, measured: `${fmt(snap100.ms / 1000, 2)} s` },
    { goal: `${DAYS} days × ${10 * N} endpoints back from the snapshot in ≤ 5 s`, met: snap1000.ms <= 5000, measured: `${fmt(snap1000.ms / 1000, 2)} s` },
    { goal: 'the snapshot brings back the whole week', met: snap100.reachDays > DAYS - 0.01, measured: `${fmt(snap100.reachDays, 2)} days` },
    {
      goal: `taking the hourly snapshot of ${10 * N} endpoints holds the event loop ≤ 20 ms at a time (capture and write)`,
      met: Math.max(taking.captureMs, taking.longestMs) <= 20,
      measured: `${fmt(taking.captureMs, 1)} ms; ${fmt(taking.longestMs, 1)} ms`,
    },
  ],
  notes: [
    'Rebuilding yields to the event loop every 2,000 events, so the live session keeps monitoring meanwhile; the logs are streamed, so memory does not grow with their size.',
    "From the snapshot: read with its checksum checked (one endpoint's rings in memory at a time besides the records), then the tail of the log from where the snapshot cut it, folded as the replay folds. The 1,000-endpoint snapshot repeats the 100 replayed endpoints' rings under 1,000 names (a replay of 1,000 would take ten times the one above); the hourly snapshot rows take one of the 1,000 endpoints brought back from it, each recorder with its own rings. The unit test test/unit/snapshot.test.ts proves the figures equal a replay's.",
    'Memory figures are taken after a collection (--expose-gc, which run.js passes); the history rings are typed arrays, counted with the heap.',
  ],
});
