// A group with one tab stop (the range buttons, the endpoint list): the arrow
// keys of its orientation step within it, Home and End go to its ends.

/** The index `key` moves to from `i` among `n` items, or null when the key does not move within the group. */
export function rovingStep(key: string, i: number, n: number, orientation: 'horizontal' | 'vertical'): number | null {
  const [back, forward] = orientation === 'horizontal' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
  if (key === back) return Math.max(0, i - 1);
  if (key === forward) return Math.min(n - 1, i + 1);
  if (key === 'Home') return 0;
  if (key === 'End') return n - 1;
  return null;
}
