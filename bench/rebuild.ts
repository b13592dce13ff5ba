// 9. History rebuild: what a data folder holds after a week — 7 daily session
// logs of 100 endpoints at per-minute thinning (one RTT summary line per
// endpoint per minute, an outage every 6 hours) — rebuilt into the records as
// the app does at start: time, and memory per endpoint. The floor, measured in
// the same run: reading and parsing the same files without folding them.
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rebuildHistory } from '../src/core/log/rebuild';
import { readSessionLog } from '../src/core/log/session-log';
import { Records } from '../src/core/record/records';
import { stamp, type EventBody } from '../src/shared/events';
import { fmt, report } from './lib';

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

/** JavaScript heap plus typed-array memory (the history rings are typed arrays, outside the heap). */
const heapMB = () => {
  global.gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
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
rmSync(dir, { recursive: true, force: true });

report({
  title: 'History rebuild',
  command: 'npm run bench -- rebuild',
  table: [
    ['measure', 'value'],
    [`session logs (${DAYS} days × ${N} endpoints, per-minute thinning)`, `${logs.length} files, ${fmt(totalMB, 0)} MB, ${lines} lines`],
    ['read and parse only (floor)', `${fmt(parseMs / 1000, 2)} s`],
    ['rebuild (read, parse, fold into the records)', `${fmt(rebuildMs / 1000, 2)} s (${fmt(rebuildMs / parseMs, 2)}× the floor)`],
    ['history reaches back', `${fmt(reachDays, 2)} days`],
    ['history + state timeline per endpoint after the rebuild', `${fmt(historyKB, 1)} KB`],
    ['memory added per endpoint by the rebuild (heap + typed arrays)', `${fmt(perEndpointKB, 1)} KB`],
  ],
  goals: [
    { goal: 'history per endpoint ≤ 128 KB after a 7-day rebuild (the bound of a live session)', met: historyKB <= 128, measured: `${fmt(historyKB, 1)} KB` },
    { goal: 'the whole week is rebuilt', met: reachDays > DAYS - 0.01, measured: `${fmt(reachDays, 2)} days` },
  ],
  notes: [
    'Rebuilding yields to the event loop every 2,000 events, so the live session keeps monitoring meanwhile; the logs are streamed, so memory does not grow with their size.',
    'Memory figures are taken after a collection (--expose-gc, which run.js passes); the history rings are typed arrays, counted with the heap.',
  ],
});
