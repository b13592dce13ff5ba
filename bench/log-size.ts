// Session log size on disk: an hour of real events for 100 endpoints, written
// through the real thinner and writer into a real file, scaled to a day and a
// week, and how many days the default rotation keeps for each setting.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rttThinner } from '../src/core/log/thinning';
import { LOG_ROTATION, logGenerations, SessionLogWriter } from '../src/core/log/session-log';
import { stamp, type EventBody } from '../src/shared/events';
import { RTT_LOGGING, type RttLogging } from '../src/shared/settings/app';
import { fmt, report } from './lib';

const N = 100;
const HOUR_MS = 3_600_000;
const MiB = 1024 * 1024;
const t0 = Date.UTC(2026, 10, 23);

/** Bytes per endpoint per hour for one setting and heartbeat interval, measured on disk. */
function bytesPerEndpointHour(mode: RttLogging, intervalMs: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-logsize-'));
  const path = join(dir, 'session.jsonl');
  const writer = new SessionLogWriter(path);
  const thin = rttThinner(mode);
  const emit = (body: EventBody, mono: number, endpoint?: string) => {
    for (const line of thin(stamp(body, t0 + mono, mono, endpoint))) writer.write(line);
  };
  const ids = Array.from({ length: N }, (_, i) => `api-${i}-example-com-v1`);
  emit({ type: 'session-start', app: 'wsmon', version: '0.1.0' }, 0);
  for (const id of ids) emit({ type: 'endpoint-added', name: id, url: `wss://${id}.example.com/v1?token=***` }, 1, id);
  let seq = 0;
  for (let mono = intervalMs; mono <= HOUR_MS; mono += intervalMs) {
    seq++;
    ids.forEach((id, i) => {
      const m = mono + i; // endpoints are not in phase
      emit({ type: 'rtt', seq, rttMs: Math.round((8 + ((seq * 7919 + i * 104729) % 9000) / 1000) * 1000) / 1000, via: 'ping' }, m, id);
      // One outage per endpoint per hour: close, reconnect scheduled, connecting, open.
      if (seq === 1 + (i % 300)) {
        emit({ type: 'close', code: 1006, reason: '', wasClean: false, initiator: 'server', uptimeMs: m }, m + 1, id);
        emit({ type: 'reconnect-scheduled', attempt: 1, delayMs: 1000 }, m + 2, id);
        emit({ type: 'connecting', attempt: 1 }, m + 1002, id);
        emit({ type: 'open', attempt: 1, handshakeMs: 12.5, protocol: '' }, m + 1015, id);
      }
    });
  }
  for (const line of thin.flush()) writer.write(line);
  writer.close();
  const bytes = logGenerations(path).reduce((n, f) => n + statSync(f).size, 0);
  rmSync(dir, { recursive: true });
  return bytes / N;
}

const LABEL: Record<RttLogging, string> = { all: 'every RTT sample', minute: 'one summary per minute' };
const retainedBytes = LOG_ROTATION.rotateBytes * LOG_ROTATION.keep; // the least on disk right after a rotation
const rows: string[][] = [
  [
    'Session log keeps',
    'heartbeat every',
    'per endpoint per day',
    '10 endpoints: day / week',
    '100 endpoints: day / week',
    'days kept for 100 endpoints (default rotation)',
  ],
];
const days: Record<string, number> = {};
for (const mode of RTT_LOGGING) {
  for (const intervalMs of [10_000, 1_000]) {
    const day = bytesPerEndpointHour(mode, intervalMs) * 24;
    days[`${mode}/${intervalMs}`] = retainedBytes / (day * 100);
    const mb = (b: number) => (b >= MiB * 1024 ? `${fmt(b / MiB / 1024, 2)} GiB` : `${fmt(b / MiB, 1)} MiB`);
    rows.push([
      LABEL[mode],
      `${intervalMs / 1000} s`,
      `${fmt(day / 1024, 0)} KiB`,
      `${mb(day * 10)} / ${mb(day * 70)}`,
      `${mb(day * 100)} / ${mb(day * 700)}`,
      fmt(days[`${mode}/${intervalMs}`]!, 1),
    ]);
  }
}
const minuteDays = Math.min(days['minute/10000']!, days['minute/1000']!);
report({
  title: 'Session log size on disk',
  command: 'npm run bench -- log-size',
  table: rows,
  goals: [{ goal: 'default rotation keeps ≥ 7 days of minute summaries for 100 endpoints', met: minuteDays >= 7, measured: `${fmt(minuteDays, 1)} days` }],
  notes: [
    `Measured, not estimated: one hour of events for ${N} endpoints (RTT samples at the interval shown, one outage per endpoint per hour, ids and URLs of realistic length) written through the real thinner and writer; a day is 24 such hours and a week 7 days. Default rotation: ${LOG_ROTATION.rotateBytes / MiB} MiB generations, ${LOG_ROTATION.keep} kept behind the current file, so at least ${(retainedBytes / MiB).toFixed(0)} MiB of history is on disk right after a rotation and at most ${((retainedBytes + LOG_ROTATION.rotateBytes) / MiB).toFixed(0)} MiB just before one.`,
  ],
});
