// The views at scale: what wsmon does every second for the views that sum up
// every endpoint — the desktop app's tray (judge every endpoint, build the
// model, compare it with the one shown) and the terminal's live table of
// `wsmon run` (drawn twice a second, for a terminal of 50 lines) — at 500
// endpoints (the baseline) and at 10,000 under 500 tags, and how many lines
// each shows. The records are fed as a live session feeds them: each endpoint
// added, opened and answering; one in 100 retrying.
import { Records } from '../src/core/record/records';
import { sessionTrayModel, trayChanged, type TrayModel } from '../src/core/app/tray-model';
import { renderTable, type TableSource } from '../src/cli/table';
import { stamp, type EventBody } from '../src/shared/events';
import { fmt, median, report } from './lib';

const SIZES = (process.env.BENCH_VIEWS ?? '500,10000').split(',').map(Number);
const ROUNDS = 30;

function session(n: number): Records {
  let now = 0;
  const records = new Records({ startWall: Date.now(), now: () => now });
  const feed = (id: string, body: EventBody) => records.apply(stamp(body, Date.now(), now, id));
  for (let i = 0; i < n; i++) {
    const id = `svc-${i}`;
    feed(id, { type: 'endpoint-added', name: id, url: `ws://h/${id}`, tags: [`t-${i % 500}`] });
    feed(id, { type: 'connecting', attempt: 0 });
    if (i % 100 === 7) {
      feed(id, { type: 'error', phase: 'connect', code: 'ECONNREFUSED', message: 'connection refused' });
      feed(id, { type: 'reconnect-scheduled', attempt: 1, delayMs: 5000 });
    } else {
      feed(id, { type: 'open', attempt: 0, handshakeMs: 3, protocol: '' });
      for (let seq = 1; seq <= 3; seq++) feed(id, { type: 'rtt', seq, rttMs: 2 + (i % 7), via: 'ping' });
    }
  }
  now = 60_000;
  return records;
}

interface Run {
  n: number;
  applyMs: number;
  lines: number;
  more: string | null;
  drawMs: number;
  tableLines: number;
}

/** Lines of the terminal the table is drawn for. */
const TERMINAL_LINES = 50;

function measure(n: number): Run {
  const records = session(n);
  let shown: TrayModel | null = null;
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    const model = sessionTrayModel({ records });
    if (trayChanged(shown, model)) shown = model;
    times.push(performance.now() - t);
  }
  // The live table's draw (cli/table.ts startLiveTable): judge every endpoint, then the rows that fit.
  const draws: number[] = [];
  let tableLines = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    const source: TableSource = { items: records.items(), status: (id) => records.status(id) };
    tableLines = renderTable(source, records.now(), true, 120, records.incidents.active, TERMINAL_LINES).join('\n').split('\n').length;
    draws.push(performance.now() - t);
  }
  const lines = 1 + shown!.groups.length + shown!.items.length + (shown!.more ? 1 : 0);
  return { n, applyMs: median(times), lines, more: shown!.more, drawMs: median(draws), tableLines };
}

const runs = SIZES.map(measure);
const base = runs[0]!;
const big = runs.at(-1)!;
report({
  title: 'Views at scale: the tray and the terminal table',
  command: 'npm run bench -- views',
  table: [
    ['measure', ...runs.map((r) => `${r.n.toLocaleString('en')} endpoints`)],
    ['one apply: judge all, build the model, compare (ms, median)', ...runs.map((r) => fmt(r.applyMs, 2))],
    ['per endpoint (µs)', ...runs.map((r) => fmt((r.applyMs / r.n) * 1000, 2))],
    ['menu lines besides the fixed ones', ...runs.map((r) => String(r.lines))],
    [`terminal table, one draw for ${TERMINAL_LINES} lines (ms, median)`, ...runs.map((r) => fmt(r.drawMs, 2))],
    ['terminal table lines', ...runs.map((r) => String(r.tableLines))],
  ],
  goals: [
    {
      goal: `${big.n.toLocaleString('en')} endpoints: the tray's apply (once a second) ≤ 1 % of a core`,
      met: big.applyMs <= 10,
      measured: `${fmt(big.applyMs, 2)} ms a second (${fmt(big.applyMs / big.n / (base.applyMs / base.n), 2)}× the ${base.n.toLocaleString('en')}'s per endpoint)`,
    },
    { goal: 'the menu stays short however many endpoints', met: big.lines <= 32, measured: `${big.lines} lines (“${big.more ?? ''}”)` },
    {
      goal: `${big.n.toLocaleString('en')} endpoints: the terminal table (twice a second) ≤ 2 % of a core`,
      met: big.drawMs <= 10,
      measured: `${fmt(big.drawMs, 2)} ms a draw (${fmt(big.drawMs / big.n / (base.drawMs / base.n), 2)}× the ${base.n.toLocaleString('en')}'s per endpoint)`,
    },
    { goal: 'the table fits the terminal', met: big.tableLines <= TERMINAL_LINES, measured: `${big.tableLines} of ${TERMINAL_LINES} lines` },
  ],
  notes: [
    `each size: ${ROUNDS} applies and ${ROUNDS} draws on records fed as a live session feeds them (added, opened, three answers; one endpoint in 100 refused and retrying), 500 tags; the median apply.`,
  ],
});
