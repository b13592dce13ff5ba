// What the tray shows, decided from every endpoint's health (shared/health.ts):
// one aggregate state, a tooltip and the menu's lines. Pure; main/tray.ts
// applies it. Its input is each endpoint judged once (the list's items, not
// full statuses) and its output is bounded: a native menu of ten thousand
// lines helps nobody, and the model is compared and applied every second.
import { bySeverity, groupHealth, healthSummary, type Health } from '../../shared/health';
import { incidentLine, type IncidentView } from '../../shared/incidents';
import type { JudgedEndpoint } from '../../shared/list-query';
import type { Session } from './session';

/** The tray's icon: the worst health, with retrying drawn as degraded (a quick reconnect is no alarm). */
export type TrayState = 'up' | 'degraded' | 'down' | 'paused' | 'idle';

export interface TrayItem {
  id: string;
  label: string;
  /** The endpoint's own health, for a mark in the menu. */
  health: Health;
}

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  summary: string;
  /** Each tag's group, worst first: "prod — 1 down · 3 up"; at most TRAY_GROUPS. */
  groups: { tag: string; label: string; health: Health }[];
  /** Endpoints, problems first then in their order; at most TRAY_ENDPOINTS. */
  items: TrayItem[];
  /** What the menu leaves out, in words ("9,980 more endpoints and 480 more groups: Show window"); null when nothing. */
  more: string | null;
}

/** Lines of the menu for endpoints and for groups: enough to name what is wrong; the window lists the rest. */
export const TRAY_ENDPOINTS = 20;
export const TRAY_GROUPS = 10;

const ICON: Record<Health, TrayState> = { up: 'up', degraded: 'degraded', retrying: 'degraded', down: 'down', paused: 'paused' };

export function trayModel(entries: readonly JudgedEndpoint[], nowMono: number, incidents: IncidentView[] = []): TrayModel {
  if (entries.length === 0) return { state: 'idle', tooltip: 'wsmon · no endpoints', summary: 'No endpoints', groups: [], items: [], more: null };
  const ordered = bySeverity(entries);
  const worst = ordered[0]!.health;
  const summary = healthSummary(entries);
  let worstRtt = -Infinity;
  for (const e of entries) if (e.rttMs !== null && e.rttMs > worstRtt) worstRtt = e.rttMs;
  const trouble = ordered.filter((e) => e.health !== 'up' && e.health !== 'paused');
  // An open incident says more than its members one by one: it comes first.
  const parts = [summary, ...incidents.slice(0, 2).map((i) => incidentLine(i, nowMono))];
  if (incidents.length > 2) parts.push(`${incidents.length - 2} more incidents`);
  if (worstRtt > -Infinity) parts.push(`worst RTT ${Math.round(worstRtt)} ms`);
  parts.push(...trouble.slice(0, 3).map((e) => `${e.name} ${e.cause}`));
  if (trouble.length > 3) parts.push(`${trouble.length - 3} more`);
  const groups = groupHealth(entries);
  return {
    state: ICON[worst],
    tooltip: parts.join(' · '),
    summary,
    groups: groups.slice(0, TRAY_GROUPS).map((g) => ({ tag: g.tag, label: `${g.tag} — ${g.summary}`, health: g.health })),
    items: ordered.slice(0, TRAY_ENDPOINTS).map((e) => ({ id: e.id, label: `${e.name} — ${e.cause}`, health: e.health })),
    more: leftOut(entries.length - TRAY_ENDPOINTS, groups.length - TRAY_GROUPS),
  };
}

function leftOut(endpoints: number, groups: number): string | null {
  const said = [
    ...(endpoints > 0 ? [`${endpoints.toLocaleString('en')} more endpoint${endpoints === 1 ? '' : 's'}`] : []),
    ...(groups > 0 ? [`${groups.toLocaleString('en')} more group${groups === 1 ? '' : 's'}`] : []),
  ];
  return said.length ? `${said.join(' and ')}: Show window` : null;
}

/** True when applying `next` would change what the tray shows. */
export function trayChanged(prev: TrayModel | null, next: TrayModel): boolean {
  return prev === null || JSON.stringify(prev) !== JSON.stringify(next);
}

/** The tray model of a running session. */
export function sessionTrayModel({ records }: Pick<Session, 'records'>): TrayModel {
  return trayModel(records.items(), records.now(), records.incidents.active);
}
