// The live terminal view: one row per endpoint, problems first, redrawn in place.
import { unrequestedDisconnects, type EndpointStatus } from '../shared/status';
import type { Records } from '../core/record/records';
import { ms, pct } from '../shared/format';
import { printable } from '../shared/printable';
import { fit } from './format';
import { bySeverity, healthOf, healthSummary, type Health, type HealthVerdict } from '../shared/health';

const HEALTH_COLOUR: Record<Health, number> = { up: 32, degraded: 33, retrying: 33, down: 31, paused: 2 };

/** The health and its cause (shared/health.ts), with the retry countdown while waiting. */
function healthText(s: EndpointStatus, v: HealthVerdict, nowMono: number): string {
  const retry = s.state === 'waiting' && s.retryAtMono !== null ? ` · retry in ${(Math.max(0, s.retryAtMono - nowMono) / 1000).toFixed(1)}s #${s.attempt}` : '';
  return `${v.health} · ${v.cause}${retry}`;
}

const COLUMNS = [
  { title: 'ENDPOINT', width: 22 },
  { title: 'HEALTH', width: 40 },
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
  const verdicts = statuses.map((s) => ({ s, ...healthOf(s, nowMono) }));
  const rows = bySeverity(verdicts).map(({ s, health, cause }) => {
    const disconnects = unrequestedDisconnects(s.stats);
    const cells = [
      s.name,
      healthText(s, { health, cause }, nowMono),
      ms(s.state === 'open' ? s.stats.rtt.lastMs : null), // a past RTT is no current one
      ms(s.stats.rtt.p95Ms),
      pct(s.stats.loss),
      pct(s.stats.uptime),
      String(disconnects),
      String(s.stats.reconnectAttempts),
    ].map(cell);
    if (colour) cells[1] = `\x1b[${HEALTH_COLOUR[health]}m${cells[1]}\x1b[0m`;
    return cells.join('  ');
  });
  return [colour ? `\x1b[1m${header}\x1b[0m` : header, ...rows, '', `${healthSummary(verdicts)} · Ctrl-C to stop`];
}

export interface LiveTable {
  /** Lines kept above the table on every redraw (the window's address: a line printed once would be drawn over). */
  banner(lines: string[]): void;
  stop(): void;
}

/** Redraws the table in place twice a second until stopped. */
export function startLiveTable(records: Records, out: NodeJS.WriteStream = process.stdout): LiveTable {
  let top: string[] = [];
  const draw = () => out.write(`\x1b[H\x1b[2J${[...top, ...renderTable(records.list(), records.now(), true)].join('\n')}\n`);
  out.write('\x1b[?25l'); // hide the cursor while redrawing
  draw();
  const timer = setInterval(draw, 500);
  return {
    banner: (lines) => {
      top = lines;
      draw();
    },
    stop: () => {
      clearInterval(timer);
      draw();
      out.write('\x1b[?25h');
    },
  };
}
