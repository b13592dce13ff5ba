// Reconnect delay policy. Pure: the attempt number, the previous delay and a
// random number in, a delay out.
import type { BackoffConfig } from '../../shared/config';

export type Random = () => number;

/**
 * Delay before retry number `attempt` (1 for the first retry).
 * - none:  min(max, initial * multiplier^(attempt-1))
 * - full:  uniform in [0, that)            (AWS "full jitter")
 * - equal: half of it plus uniform in [0, half)
 * - decorrelated: uniform in [initial, previous * 3), capped at max (AWS "decorrelated jitter")
 */
export function backoffDelay(policy: BackoffConfig, attempt: number, previousMs: number, random: Random): number {
  const exp = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.multiplier, Math.max(0, attempt - 1)));
  switch (policy.jitter) {
    case 'none':
      return Math.round(exp);
    case 'full':
      return Math.round(random() * exp);
    case 'equal':
      return Math.round(exp / 2 + random() * (exp / 2));
    case 'decorrelated': {
      const prev = Math.max(policy.initialMs, previousMs);
      const hi = Math.max(policy.initialMs, prev * 3);
      return Math.round(Math.min(policy.maxMs, policy.initialMs + random() * (hi - policy.initialMs)));
    }
  }
}

/** True when another retry is allowed after `attemptsMade` retries. */
export function mayRetry(policy: BackoffConfig, attemptsMade: number): boolean {
  return policy.maxAttempts === null || attemptsMade < policy.maxAttempts;
}

/** A small seeded generator (mulberry32) so that tests and benchmarks can repeat a jittered sequence. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
