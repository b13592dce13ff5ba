// What the tray shows, decided from every endpoint's status: one aggregate
// state, a tooltip and the menu's endpoint lines. Pure; main/tray.ts applies it.
import type { EndpointConfig } from '../../shared/config';
import type { EndpointStatus } from '../../shared/status';
import type { Session } from './session';

export type TrayState = 'up' | 'degraded' | 'down' | 'paused' | 'idle';

export interface TrayItem {
  id: string;
  label: string;
  /** The endpoint's own verdict, for an icon or a mark in the menu. */
  state: TrayState;
}

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  summary: string;
  items: TrayItem[];
}

const SEVERITY: TrayState[] = ['idle', 'paused', 'up', 'degraded', 'down'];
const worse = (a: TrayState, b: TrayState) => (SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b);

/** One endpoint's verdict and the words for it. */
export function endpointVerdict(s: EndpointStatus, alerts: EndpointConfig['alerts'], nowMono: number): { state: TrayState; words: string } {
  if (s.state === 'paused' || s.state === 'stopped') return { state: 'paused', words: s.state };
  if (s.state === 'gave-up') return { state: 'down', words: 'gave up' };
  if (s.state === 'idle') return { state: 'paused', words: 'idle' };
  if (s.state !== 'open') {
    const downFor = s.downSinceMono === null ? 0 : nowMono - s.downSinceMono;
    if (s.downSinceMono !== null && downFor >= alerts.downAfterMs) return { state: 'down', words: `down ${Math.round(downFor / 1000)} s` };
    return { state: 'degraded', words: s.state === 'connecting' && s.attempt === 0 ? 'connecting' : 'retrying' };
  }
  if (s.staleSinceMono !== null) return { state: 'degraded', words: `stale ${Math.round((nowMono - s.staleSinceMono) / 1000)} s` };
  const rtt = s.stats.rtt.lastMs;
  if (rtt !== null && rtt > alerts.rttMs) return { state: 'degraded', words: `slow ${Math.round(rtt)} ms` };
  if (s.stats.loss !== null && s.stats.loss > alerts.loss) return { state: 'degraded', words: `loss ${(s.stats.loss * 100).toFixed(0)} %` };
  return { state: 'up', words: rtt === null ? 'open' : `${Math.round(rtt)} ms` };
}

export function trayModel(endpoints: { status: EndpointStatus; alerts: EndpointConfig['alerts'] }[], nowMono: number): TrayModel {
  if (endpoints.length === 0) return { state: 'idle', tooltip: 'wsmon · no endpoints', summary: 'No endpoints', items: [] };
  const verdicts = endpoints.map(({ status, alerts }) => ({ status, ...endpointVerdict(status, alerts, nowMono) }));
  const active = verdicts.filter((v) => v.state !== 'paused');
  const state = active.length === 0 ? 'paused' : active.map((v) => v.state).reduce(worse, 'up');
  const up = verdicts.filter((v) => v.status.state === 'open').length;
  const rtts = verdicts.flatMap((v) => (v.status.state === 'open' && v.status.stats.rtt.lastMs !== null ? [v.status.stats.rtt.lastMs] : []));
  const trouble = verdicts.filter((v) => v.state === 'down' || v.state === 'degraded').map((v) => `${v.status.name} ${v.words}`);
  const summary = `${up}/${verdicts.length} up`;
  const parts = [summary];
  if (rtts.length) parts.push(`worst RTT ${Math.round(Math.max(...rtts))} ms`);
  if (state === 'paused') parts.push('paused');
  parts.push(...trouble.slice(0, 3));
  if (trouble.length > 3) parts.push(`${trouble.length - 3} more`);
  return {
    state,
    tooltip: parts.join(' · '),
    summary,
    items: verdicts.map((v) => ({ id: v.status.id, label: `${v.status.name} — ${v.words}`, state: v.state })),
  };
}

/** True when applying `next` would change what the tray shows. */
export function trayChanged(prev: TrayModel | null, next: TrayModel): boolean {
  return prev === null || JSON.stringify(prev) !== JSON.stringify(next);
}

/** The tray model of a running session: every endpoint's status with its alert thresholds. */
export function sessionTrayModel({ monitor, records }: Pick<Session, 'monitor' | 'records'>): TrayModel {
  return trayModel(records.ids().map((id) => ({ status: records.status(id), alerts: monitor.config(id).alerts })), records.now());
}
