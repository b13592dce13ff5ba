// The live terminal view: one row per endpoint, problems first, redrawn in place.
import { unrequestedDisconnects, type EndpointStatus } from '../shared/status';
import type { Records } from '../core/record/records';
import { ms, pct } from '../shared/format';
import { printable } from '../shared/printable';
import { fit } from './format';
import { incidentLine, type IncidentView } from '../shared/incidents';
import { bySeverity, groupHealth, healthOf, healthSummary, type Health, type HealthVerdict } from '../shared/health';

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

/** The table as lines of text at most `width` columns wide. Pure. */
export function renderTable(statuses: EndpointStatus[], nowMono: number, colour: boolean, width = 120, incidents: IncidentView[] = []): string[] {
  const columns = layout(width);
  const cell = (raw: string, col: (typeof columns)[number]) => {
    const text = printable(raw);
    if (col.index === 1) return fitHealth(text, col.width);
    return col.right ? text.slice(0, col.width).padStart(col.width) : fit(text, col.width);
  };
  const row = (cells: string[]) => columns.map((c) => cell(cells[c.index]!, c));
  const header = row(COLUMNS.map((c) => c.title)).join(' '.repeat(GAP));
  const verdicts = statuses.map((s) => ({ s, ...healthOf(s, nowMono) }));
  const rows = bySeverity(verdicts).map(({ s, health, cause }) => {
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
  // Each tag's group in one line under the table, worst first: "prod 1 down · 3 up  |  eu 2 up".
  const groups = groupHealth(verdicts.map((v) => ({ ...v, status: v.s })));
  const groupLine = groups.length ? [fit(printable(groups.map((g) => `${g.tag} ${g.summary}`).join('  |  ')), width).trimEnd()] : [];
  // Open incidents, newest first, under the groups: one line each.
  const incidentLines = incidents.map((i) => fit(printable(incidentLine(i, nowMono)), width).trimEnd());
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
  const draw = () =>
    out.write(`\x1b[H\x1b[2J${[...top, ...renderTable(records.list(), records.now(), true, out.columns || 120, records.incidents.active)].join('\n')}\n`);
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
