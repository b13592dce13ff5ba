// The live terminal view: one row per endpoint, redrawn in place.
import { unrequestedDisconnects, type EndpointStatus } from '../shared/status';
import type { Records } from '../core/record/records';
import { ms, pct } from '../shared/format';
import { printable } from '../shared/printable';
import { fit } from './format';

const STATE_COLOUR: Record<string, number> = { open: 32, connecting: 33, closing: 33, waiting: 33, paused: 2, idle: 2, stopped: 31, 'gave-up': 31 };


function stateText(s: EndpointStatus, nowMono: number): string {
  if (s.state === 'waiting' && s.retryAtMono !== null) return `retry in ${(Math.max(0, s.retryAtMono - nowMono) / 1000).toFixed(1)}s #${s.attempt}`;
  if (s.state === 'waiting' || s.state === 'closing') return 'retrying';
  if (s.state === 'connecting' && s.attempt > 0) return `connecting #${s.attempt}`;
  return s.state === 'gave-up' ? 'gave up' : s.state;
}

const COLUMNS = [
  { title: 'ENDPOINT', width: 22 },
  { title: 'STATE', width: 20 },
  { title: 'RTT', width: 9, right: true },
  { title: 'P95', width: 9, right: true },
  { title: 'LOSS', width: 6, right: true },
  { title: 'UPTIME', width: 7, right: true },
  { title: 'DISC', width: 5, right: true },
  { title: 'ATTEMPTS', width: 8, right: true },
];

/** The table as lines of text. Pure. */
export function renderTable(statuses: EndpointStatus[], nowMono: number, colour: boolean): string[] {
  const cell = (raw: string, i: number) => {
    const c = COLUMNS[i]!;
    const text = printable(raw);
    return c.right ? text.slice(0, c.width).padStart(c.width) : fit(text, c.width);
  };
  const header = COLUMNS.map((c, i) => cell(c.title, i)).join('  ');
  const rows = statuses.map((s) => {
    const disconnects = unrequestedDisconnects(s.stats);
    const cells = [
      s.name,
      stateText(s, nowMono),
      ms(s.stats.rtt.lastMs),
      ms(s.stats.rtt.p95Ms),
      pct(s.stats.loss),
      pct(s.stats.uptime),
      String(disconnects),
      String(s.stats.reconnectAttempts),
    ].map(cell);
    if (colour) cells[1] = `\x1b[${STATE_COLOUR[s.state] ?? 0}m${cells[1]}\x1b[0m`;
    return cells.join('  ');
  });
  const up = statuses.filter((s) => s.state === 'open').length;
  return [colour ? `\x1b[1m${header}\x1b[0m` : header, ...rows, '', `${up}/${statuses.length} up · Ctrl-C to stop`];
}

/** Redraws the table in place twice a second until stopped. */
export function startLiveTable(records: Records, out: NodeJS.WriteStream = process.stdout): () => void {
  const draw = () => out.write(`\x1b[H\x1b[2J${renderTable(records.list(), records.now(), true).join('\n')}\n`);
  out.write('\x1b[?25l'); // hide the cursor while redrawing
  draw();
  const timer = setInterval(draw, 500);
  return () => {
    clearInterval(timer);
    draw();
    out.write('\x1b[?25h');
  };
}
