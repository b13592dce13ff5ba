// The event envelope's timestamp is formatted once per second; it must read exactly as toISOString would.
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/shared/events';

describe('isoTime', () => {
  it('equals Date#toISOString for every millisecond across second, minute, day and year boundaries, and for fractional input', () => {
    const starts = [Date.UTC(2026, 10, 23, 9, 59, 59, 990), Date.UTC(2026, 11, 31, 23, 59, 59, 995), 0, 1_000];
    for (const start of starts) {
      for (let ms = start; ms < start + 30; ms++) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
    expect(isoTime(Date.UTC(2026, 0, 1) + 5.7)).toBe(new Date(Date.UTC(2026, 0, 1) + 5.7).toISOString());
    // Back in time (another clock) after a later second was cached.
    expect(isoTime(Date.UTC(2020, 1, 29, 12))).toBe('2020-02-29T12:00:00.000Z');
  });
});
