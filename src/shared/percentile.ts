// The nearest-rank percentile of a sorted array: the one rule every exact
// percentile follows (a bucket's spread, an overview span's median and p90).

/** The value at quantile q (0..1) of `sorted` (ascending), by nearest rank; null when empty. */
export function percentile(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx]!;
}
