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

/** A young session shows from its start rather than an empty left side; the window is never under 30 s. */
export function windowFor(key: RangeKey, nowMono: number): Window {
  const span = RANGES.find((r) => r.key === key)!.spanMs ?? Infinity;
  const to = Math.max(nowMono, 30_000);
  return { from: Math.max(0, to - span), to };
}
