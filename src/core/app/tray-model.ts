// What the tray shows, decided from every endpoint's health (shared/health.ts):
// one aggregate state, a tooltip and the menu's endpoint lines. Pure;
// main/tray.ts applies it.
import { bySeverity, groupHealth, healthOf, healthSummary, type Health } from '../../shared/health';
import type { EndpointStatus } from '../../shared/status';
import { incidentLine, type IncidentView } from '../../shared/incidents';
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
  /** Each tag's group, worst first: "prod — 1 down · 3 up". */
  groups: { tag: string; label: string; health: Health }[];
  items: TrayItem[];
}

const ICON: Record<Health, TrayState> = { up: 'up', degraded: 'degraded', retrying: 'degraded', down: 'down', paused: 'paused' };

export function trayModel(statuses: EndpointStatus[], nowMono: number, incidents: IncidentView[] = []): TrayModel {
  if (statuses.length === 0) return { state: 'idle', tooltip: 'wsmon · no endpoints', summary: 'No endpoints', groups: [], items: [] };
  const verdicts = statuses.map((status) => ({ status, ...healthOf(status, nowMono) }));
  const worst = bySeverity(verdicts)[0]!.health;
  const summary = healthSummary(verdicts);
  const rtts = verdicts.flatMap((v) => (v.status.state === 'open' && v.status.stats.rtt.lastMs !== null ? [v.status.stats.rtt.lastMs] : []));
  const trouble = bySeverity(verdicts.filter((v) => v.health !== 'up' && v.health !== 'paused')).map((v) => `${v.status.name} ${v.cause}`);
  // An open incident says more than its members one by one: it comes first.
  const parts = [summary, ...incidents.slice(0, 2).map((i) => incidentLine(i, nowMono))];
  if (incidents.length > 2) parts.push(`${incidents.length - 2} more incidents`);
  if (rtts.length) parts.push(`worst RTT ${Math.round(Math.max(...rtts))} ms`);
  parts.push(...trouble.slice(0, 3));
  if (trouble.length > 3) parts.push(`${trouble.length - 3} more`);
  return {
    state: ICON[worst],
    tooltip: parts.join(' · '),
    summary,
    groups: groupHealth(verdicts).map((g) => ({ tag: g.tag, label: `${g.tag} — ${g.summary}`, health: g.health })),
    items: verdicts.map((v) => ({ id: v.status.id, label: `${v.status.name} — ${v.cause}`, health: v.health })),
  };
}

/** True when applying `next` would change what the tray shows. */
export function trayChanged(prev: TrayModel | null, next: TrayModel): boolean {
  return prev === null || JSON.stringify(prev) !== JSON.stringify(next);
}

/** The tray model of a running session. */
export function sessionTrayModel({ records }: Pick<Session, 'records'>): TrayModel {
  return trayModel(records.list(), records.now(), records.incidents.active);
}
