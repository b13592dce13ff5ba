// Durations as people write them ("250ms", "5s", "2m", "1h") <-> milliseconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses "250ms", "1.5s", "2m", "1h" or a bare number of milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return null;
  const value = Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!;
  return Number.isFinite(value) ? Math.round(value) : null;
}

/** The shortest exact spelling: 1500 -> "1.5s", 120000 -> "2m", 250 -> "250ms". */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 60_000 === 0) return `${+(ms / 3_600_000).toFixed(3)}h`;
  if (ms >= 60_000 && ms % 1000 === 0) return `${+(ms / 60_000).toFixed(3)}m`;
  if (ms >= 1000) return `${+(ms / 1000).toFixed(3)}s`;
  return `${Math.round(ms)}ms`;
}
