// The time ranges a user can look at. Times are session-monotonic ms.
export type RangeKey = '5m' | '1h' | '24h' | 'session';

/** `fileLabel`: what the range is called when the window shows a past log, where nothing is live. */
export const RANGES: { key: RangeKey; label: string; fileLabel?: string; spanMs: number | null }[] = [
  { key: '5m', label: 'Live 5 min', fileLabel: 'Last 5 min', spanMs: 5 * 60_000 },
  { key: '1h', label: '1 h', spanMs: 3_600_000 },
  { key: '24h', label: '24 h', spanMs: 86_400_000 },
  { key: 'session', label: 'Session', spanMs: null },
];

export interface Window {
  from: number;
  to: number;
}

/**
 * A range never claims more than exists: it starts no earlier than the records
 * do (`earliest`: the session's start, or where history rebuilt from earlier
 * runs begins, a negative time); "Session" is this session alone. The window
 * is never under 30 s.
 */
export function windowFor(key: RangeKey, nowMono: number, earliest = 0): Window {
  const span = RANGES.find((r) => r.key === key)!.spanMs;
  const to = Math.max(nowMono, 30_000);
  return { from: span === null ? 0 : Math.max(Math.min(0, earliest), to - span), to };
}
