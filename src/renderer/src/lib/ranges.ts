// The time ranges a user can look at. Times are session-monotonic ms.
export type RangeKey = '5m' | '1h' | '24h' | '7d' | '30d' | '90d' | 'session';

/**
 * `fileLabel`: what the range is called when the window shows a past log, where nothing is live. `longer`: offered
 * under "Range…" with a typed range (the header keeps to one row of buttons at 1024 px).
 */
export const RANGES: { key: RangeKey; label: string; fileLabel?: string; spanMs: number | null; longer?: true }[] = [
  { key: '5m', label: 'Live 5 min', fileLabel: 'Last 5 min', spanMs: 5 * 60_000 },
  { key: '1h', label: '1 h', spanMs: 3_600_000 },
  { key: '24h', label: '24 h', spanMs: 86_400_000 },
  // Months come back across restarts from the history snapshot (core/log/snapshot.ts): a minute, an hour or a day a bucket.
  { key: '7d', label: '7 d', spanMs: 7 * 86_400_000, longer: true },
  { key: '30d', label: '30 d', spanMs: 30 * 86_400_000, longer: true },
  { key: '90d', label: '90 d', spanMs: 90 * 86_400_000, longer: true },
  { key: 'session', label: 'Session', spanMs: null, longer: true },
];

/**
 * How often a following chart pulls its history again: about once per
 * minute of range a pixel of a wide chart shows (1,440 px), at least every
 * `fastestMs`, at most every minute — a 90-day answer is large, and a new
 * hour bucket is all a minute adds to it.
 */
export const pullEvery = (w: Window, fastestMs: number): number => Math.min(60_000, Math.max(fastestMs, (w.to - w.from) / 1440));

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
