// The live terminal view: one row per endpoint, problems first, redrawn in
// place — as many rows as the terminal has lines, then a line saying how many
// more; every endpoint is judged for the order, the groups and the summary,
// and only the rows shown read their full status.
import { unrequestedDisconnects, type EndpointStatus } from '../shared/status';
import type { JudgedEndpoint } from '../shared/list-query';
import type { Records } from '../core/record/records';
import { ms, pct } from '../shared/format';
import { printable } from '../shared/printable';
import { fit } from './format';
import { incidentLine, type IncidentView } from '../shared/incidents';
import { bySeverity, groupHealth, healthSummary, type Health, type HealthVerdict } from '../shared/health';

const HEALTH_COLOUR: Record<Health, number> = { up: 32, degraded: 33, retrying: 33, down: 31, paused: 2 };

/** The health and its cause (shared/health.ts), with the retry countdown while waiting. */
function healthText(s: EndpointStatus, v: HealthVerdict, nowMono: number): string {
  const retry = s.state === 'waiting' && s.retryAtMono !== null ? ` · retry in ${(Math.max(0, s.retryAtMono - nowMono) / 1000).toFixed(1)}s #${s.attempt}` : '';
  return `${v.health} · ${v.cause}${retry}`;
}

/** The columns, and the order they give way in when the terminal is narrow: never the endpoint or its health. */
const COLUMNS = [
  { title: 'ENDPOINT', width: 22 },
  { title: 'HEALTH', width: 40 },
  { title: 'RTT', width: 9, right: true, dropOrder: 5 },
  { title: 'P95', width: 9, right: true, dropOrder: 3 },
  { title: 'LOSS', width: 6, right: true, dropOrder: 4 },
  { title: 'UPTIME', width: 7, right: true, dropOrder: 2 },
  { title: 'DISC', width: 5, right: true, dropOrder: 1 },
  { title: 'ATTEMPTS', width: 8, right: true, dropOrder: 0 },
];
const GAP = 2;
const MIN = { endpoint: 12, health: 40 };

/** The columns that fit `width`: the least telling give way first; what is left goes to the name and the health. */
function layout(width: number): { index: number; width: number; right?: boolean }[] {
  const kept = COLUMNS.map((c, index) => ({ ...c, index }));
  const others = () => kept.slice(2).reduce((n, c) => n + c.width + GAP, GAP);
  const byOrder = kept.filter((c) => c.dropOrder !== undefined).sort((x, y) => x.dropOrder! - y.dropOrder!);
  while (others() + MIN.endpoint + MIN.health > width && byOrder.length) kept.splice(kept.indexOf(byOrder.shift()!), 1);
  const spare = width - others();
  kept[0]!.width = Math.min(22, Math.max(MIN.endpoint, spare - 40));
  kept[1]!.width = Math.max(MIN.health, spare - kept[0]!.width);
  return kept;
}

/**
 * Health text cut to a width without losing its ends: the health first and the
 * duration or countdown last stay whole; what is between gives way, with "…".
 */
export function fitHealth(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  const parts = text.split(' · ');
  const first = parts[0]!;
  const last = parts.length > 2 ? parts.at(-1)! : '';
  const keep = first.length + (last ? last.length + 3 : 0) + 3;
  const middle = parts.slice(1, last ? -1 : undefined).join(' · ');
  const room = width - keep;
  if (room < 2) return fit(text, width);
  return [first, `${middle.slice(0, room - 1)}…`, ...(last ? [last] : [])].join(' · ').padEnd(width);
}

/** What the table reads: every endpoint judged once, and the full status of an endpoint it shows. */
export interface TableSource {
  items: readonly JudgedEndpoint[];
  status(id: string): EndpointStatus;
}

/** Rows shown however short the terminal says it is. */
const MIN_ROWS = 5;

/**
 * The table as lines of text at most `width` columns wide and (past a few
 * rows) `height` lines high: the worst endpoints first, then how many more.
 * Pure.
 */
export function renderTable(source: TableSource, nowMono: number, colour: boolean, width = 120, incidents: IncidentView[] = [], height = Infinity): string[] {
  const columns = layout(width);
  const cell = (raw: string, col: (typeof columns)[number]) => {
    const text = printable(raw);
    if (col.index === 1) return fitHealth(text, col.width);
    return col.right ? text.slice(0, col.width).padStart(col.width) : fit(text, col.width);
  };
  const row = (cells: string[]) => columns.map((c) => cell(cells[c.index]!, c));
  const header = row(COLUMNS.map((c) => c.title)).join(' '.repeat(GAP));
  const verdicts = source.items;
  // Each tag's group in one line under the table, worst first: "prod 1 down · 3 up  |  eu 2 up".
  const groups = groupHealth(verdicts);
  const groupLine = groups.length ? [fit(printable(groups.map((g) => `${g.tag} ${g.summary}`).join('  |  ')), width).trimEnd()] : [];
  // Open incidents, newest first, under the groups: one line each.
  const incidentLines = incidents.map((i) => fit(printable(incidentLine(i, nowMono)), width).trimEnd());
  // Header, blank line and summary, besides the groups and incidents.
  const room = Math.max(MIN_ROWS, height - 3 - groupLine.length - incidentLines.length);
  const ordered = bySeverity(verdicts);
  const shown = ordered.length > room ? ordered.slice(0, room - 1) : ordered;
  const rows = shown.map(({ id, health, cause }) => {
    const s = source.status(id);
    const cells = row([
      s.name,
      healthText(s, { health, cause }, nowMono),
      ms(s.state === 'open' ? s.stats.rtt.lastMs : null), // a past RTT is no current one
      ms(s.stats.rtt.p95Ms),
      pct(s.stats.loss),
      pct(s.stats.uptime),
      String(unrequestedDisconnects(s.stats)),
      String(s.stats.reconnectAttempts),
    ]);
    if (colour) cells[1] = `\x1b[${HEALTH_COLOUR[health]}m${cells[1]}\x1b[0m`;
    return cells.join(' '.repeat(GAP));
  });
  const more = ordered.length - shown.length;
  if (more > 0)
    rows.push(fit(`… ${more.toLocaleString('en')} more endpoint${more === 1 ? '' : 's'}, ${healthSummary(ordered.slice(shown.length))}`, width).trimEnd());
  return [
    colour ? `\x1b[1m${header}\x1b[0m` : header,
    ...rows,
    '',
    ...groupLine,
    ...incidentLines,
    fit(`${healthSummary(verdicts)} · Ctrl-C to stop`, width).trimEnd(),
  ];
}

export interface LiveTable {
  /** Lines kept above the table on every redraw (the window's address: a line printed once would be drawn over). */
  banner(lines: string[]): void;
  stop(): void;
}

/** Redraws the table in place twice a second until stopped. */
export function startLiveTable(records: Records, out: NodeJS.WriteStream = process.stdout): LiveTable {
  let top: string[] = [];
  // As wide as the terminal is now (it may be resized), 120 columns where it does not say.
  const source: TableSource = { items: [], status: (id) => records.status(id) };
  const draw = () => {
    source.items = records.items();
    // As many lines as the terminal has, less the banner and the line the cursor ends on.
    const height = out.rows ? out.rows - top.length - 1 : Infinity;
    const lines = renderTable(source, records.now(), true, out.columns || 120, records.incidents.active, height);
    out.write(`\x1b[H\x1b[2J${[...top, ...lines].join('\n')}\n`);
  };
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
