import { describe, expect, it } from 'vitest';
import { backoffDelay, mayRetry, seededRandom } from '../../src/core/engine/backoff';
import { DEFAULTS, type BackoffConfig } from '../../src/shared/config';

const policy = (over: Partial<BackoffConfig> = {}): BackoffConfig => ({ ...DEFAULTS.backoff, ...over });

/** The delays of retries 1..n under a policy, feeding each delay back as "previous". */
function sequence(p: BackoffConfig, n: number, seed = 42): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  let prev = 0;
  for (let a = 1; a <= n; a++) out.push((prev = backoffDelay(p, a, prev, random)));
  return out;
}

describe('backoff', () => {
  it('without jitter doubles from the initial delay and stops at the cap', () => {
    expect(sequence(policy({ jitter: 'none' }), 8)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(sequence(policy({ jitter: 'none', initialMs: 250, multiplier: 3, maxMs: 5000 }), 5)).toEqual([250, 750, 2250, 5000, 5000]);
  });

  it('full jitter stays in [0, exponential) and is repeatable with a seed', () => {
    const seq = sequence(policy({ jitter: 'full' }), 200);
    seq.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.min(30000, 1000 * 2 ** i));
    });
    expect(sequence(policy({ jitter: 'full' }), 20)).toEqual(sequence(policy({ jitter: 'full' }), 20));
    expect(sequence(policy({ jitter: 'full' }), 20, 1)).not.toEqual(sequence(policy({ jitter: 'full' }), 20, 2));
    // Capped retries spread across the whole range rather than bunching at the cap.
    const capped = seq.slice(10);
    expect(Math.min(...capped)).toBeLessThan(10000);
    expect(Math.max(...capped)).toBeGreaterThan(20000);
  });

  it('equal jitter keeps at least half of the exponential delay', () => {
    sequence(policy({ jitter: 'equal' }), 200).forEach((d, i) => {
      const exp = Math.min(30000, 1000 * 2 ** i);
      expect(d).toBeGreaterThanOrEqual(exp / 2);
      expect(d).toBeLessThanOrEqual(exp);
    });
  });

  it('decorrelated jitter stays between the initial delay and three times the previous one, capped', () => {
    const seq = sequence(policy({ jitter: 'decorrelated' }), 200);
    let prev = 1000;
    for (const d of seq) {
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(Math.min(30000, prev * 3));
      prev = Math.max(1000, d);
    }
  });

  it('the random source at its extremes gives the bounds exactly', () => {
    const p = policy({ jitter: 'full' });
    expect(backoffDelay(p, 3, 0, () => 0)).toBe(0);
    expect(backoffDelay(p, 3, 0, () => 0.999999)).toBe(4000);
    expect(backoffDelay(policy({ jitter: 'equal' }), 3, 0, () => 0)).toBe(2000);
    expect(backoffDelay(policy({ jitter: 'decorrelated' }), 2, 20000, () => 0.999999)).toBe(30000);
  });

  it('max attempts: unlimited by default, otherwise exactly that many retries', () => {
    expect(mayRetry(policy(), 1_000_000)).toBe(true);
    const p = policy({ maxAttempts: 3 });
    expect([0, 1, 2, 3, 4].map((n) => mayRetry(p, n))).toEqual([true, true, true, false, false]);
    expect(mayRetry(policy({ maxAttempts: 0 }), 0)).toBe(false);
  });
});
