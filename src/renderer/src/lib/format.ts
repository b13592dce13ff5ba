// Numbers and states in words for the screen.
import type { ConnState, EndpointStatus } from '../../../shared/status';

export function ms(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return '–';
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  return `${v.toFixed(v >= 100 ? 0 : digits)} ms`;
}

export function pct(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  const p = v * 100;
  return `${p >= 99.95 || p === 0 ? p.toFixed(0) : p.toFixed(p < 1 ? 2 : 1)} %`;
}

export function duration(msv: number): string {
  const s = Math.floor(msv / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const h = Math.floor(s / 3600);
  return h < 48 ? `${h} h ${Math.floor((s % 3600) / 60)} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function clockTime(wall: number, withSeconds = true): string {
  const d = new Date(wall);
  const p = (n: number) => String(n).padStart(2, '0');
  return withSeconds ? `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}` : `${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function host(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return url;
  }
}

/** The state as a user reads it; `retrying` is the engine's `waiting`. */
export type ShownState = 'connecting' | 'open' | 'retrying' | 'paused' | 'stopped' | 'gave-up' | 'idle';

export function shownState(s: ConnState): ShownState {
  if (s === 'waiting' || s === 'closing') return 'retrying';
  return s;
}

export const STATE_LABEL: Record<ShownState, string> = {
  connecting: 'connecting',
  open: 'open',
  retrying: 'retrying',
  paused: 'paused',
  stopped: 'stopped',
  'gave-up': 'gave up',
  idle: 'idle',
};

/** "retry in 3.2 s · attempt 4", from the retry time and the session clock. */
export function retryText(s: EndpointStatus, nowMono: number): string {
  if (s.retryAtMono === null) return `attempt ${s.attempt}`;
  const left = Math.max(0, s.retryAtMono - nowMono) / 1000;
  return `retry in ${left.toFixed(1)} s · attempt ${s.attempt}`;
}
