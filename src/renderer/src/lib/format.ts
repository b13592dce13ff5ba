// States and times in words for the screen (numbers: shared/format).
import type { ConnState, EndpointStatus } from '../../../shared/status';

export function clockTime(wall: number, withSeconds = true): string {
  const d = new Date(wall);
  const p = (n: number) => String(n).padStart(2, '0');
  return withSeconds ? `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}` : `${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Host and path of a URL, remembered: every list row asks on every update, and parsing a URL is not free. */
export function host(url: string): string {
  let h = hosts.get(url);
  if (h === undefined) {
    if (hosts.size >= HOSTS_KEPT) hosts.clear();
    try {
      const u = new URL(url);
      h = `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
    } catch {
      h = url;
    }
    hosts.set(url, h);
  }
  return h;
}
const HOSTS_KEPT = 10_000;
const hosts = new Map<string, string>();

/** The state as a user reads it; `retrying` is the engine's `waiting`. */
export type ShownState = 'connecting' | 'open' | 'retrying' | 'paused' | 'stopped' | 'gave-up' | 'idle';

export function shownState(s: ConnState): ShownState {
  if (s === 'waiting' || s === 'closing') return 'retrying';
  return s;
}

/** "retry in 3.2 s · attempt 4", from the retry time and the session clock. */
export function retryText(s: EndpointStatus, nowMono: number): string {
  if (s.retryAtMono === null) return `attempt ${s.attempt}`;
  const left = Math.max(0, s.retryAtMono - nowMono) / 1000;
  return `retry in ${left.toFixed(1)} s · attempt ${s.attempt}`;
}
