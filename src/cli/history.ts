// `wsmon history --data DIR`: what a data folder remembers of each endpoint —
// how far back its records reach, uptime over 24 h, 7 d, 30 d and 90 d, and
// its median RTT and heartbeat loss over the last day — without starting a
// session: the same restore the app does at start (core/log/history-at-rest).
import { resolve } from 'node:path';
import { lossOf } from '../shared/chart-data';
import { UsageError } from '../shared/errors';
import { ms, pct } from '../shared/format';
import { jsonLine, printable } from '../shared/printable';
import { UPTIME_SPANS } from '../shared/series';
import { historyAtRest } from '../core/log/history-at-rest';
import type { EndpointRecorder } from '../core/record/recorder';
import { parseCli } from './args';

export const HISTORY_HELP = `usage: wsmon history --data DIR [--json] [ENDPOINT]...

Prints what the data folder DIR (the desktop app's, or wsmon web --data's)
remembers of each endpoint, or of the ENDPOINTs named (their ids): from when
its records reach back, uptime over 24 h, 7 d, 30 d and 90 d (judged since
the records begin where they begin later), and its median RTT and heartbeat
loss over the last 24 h. History comes from the history snapshot and the
session logs after it, or, without one, from the last 7 days of logs.
Run it beside a running wsmon: it only reads.

  --data DIR   the data folder
  --json       one JSON object per endpoint, per line
`;

const DAY = 86_400_000;

export async function historyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv, { data: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HISTORY_HELP);
    return 0;
  }
  if (values.data === undefined) throw new UsageError('history needs --data DIR: the data folder to read');
  const now = Date.now();
  const { records, progress, problem } = await historyAtRest(resolve(values.data), now);
  if (problem) process.stderr.write(`wsmon history: ${problem}\n`);
  const unknown = positionals.filter((id) => !records.has(id));
  if (unknown.length) throw new UsageError(`no history of ${unknown.map((id) => `"${printable(id)}"`).join(', ')} in ${printable(values.data)}`);
  const rows = (positionals.length ? positionals : records.ids().sort()).map((id) => figures(records.recorder(id), now));
  if (values.json) for (const r of rows) process.stdout.write(`${jsonLine(r)}\n`);
  else {
    process.stdout.write(
      `${rows.length} endpoint(s), from the ${progress.source === 'snapshot' ? 'history snapshot and the logs after it' : 'session logs'}\n`,
    );
    const table = [
      ['endpoint', 'records from', ...UPTIME_SPANS.map((s) => `uptime ${s.label}`), 'median RTT 24 h', 'loss 24 h'],
      ...rows.map((r) => [
        printable(r.endpoint),
        r.from ?? '–',
        ...UPTIME_SPANS.map((s) => pct(r.uptime[s.key].value) + (r.uptime[s.key].since ? '*' : '')),
        ms(r.day.medianMs),
        pct(r.day.loss),
      ]),
    ];
    const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
    for (const row of table)
      process.stdout.write(
        `${row
          .map((v, c) => v.padEnd(widths[c]!))
          .join('  ')
          .trimEnd()}\n`,
      );
    if (rows.some((r) => UPTIME_SPANS.some((s) => r.uptime[s.key].since)))
      process.stdout.write('* judged since the records begin (later than the span’s start)\n');
  }
  return 0;
}

/** One endpoint's figures; times as ISO strings. */
function figures(rec: EndpointRecorder, now: number) {
  const iso = (mono: number | null) => (mono === null ? null : new Date(now + mono).toISOString());
  const since = Math.min(rec.history.since ?? Infinity, rec.timeline.since ?? Infinity);
  const uptime = rec.uptimes(0);
  // A since within a span means the span is judged from there; one at or before the span's start is not worth saying.
  const spans = Object.fromEntries(
    UPTIME_SPANS.map((s) => {
      const u = uptime[s.key];
      return [s.key, { value: u.value, since: u.since !== null && u.since > -s.ms ? iso(u.since) : null }];
    }),
  ) as Record<(typeof UPTIME_SPANS)[number]['key'], { value: number | null; since: string | null }>;
  const day = rec.history.query(-DAY, 0).buckets.filter((b) => b.t >= -DAY);
  const answered = day.reduce((n, b) => n + b.count, 0);
  const missed = day.reduce((n, b) => n + b.missed, 0);
  const medianMs = answered ? day.reduce((n, b) => n + (b.medianMs ?? 0) * b.count, 0) / answered : null;
  return { endpoint: rec.id, from: since < Infinity ? iso(since) : null, uptime: spans, day: { medianMs, loss: lossOf(answered, missed), answered, missed } };
}
