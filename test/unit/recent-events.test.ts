import { describe, expect, it } from 'vitest';
import { RecentEvents } from '../../src/core/record/recent-events';
import { stamp } from '../../src/shared/events';

const error = (mono: number, message: string) =>
  stamp({ type: 'error', phase: 'connect', code: 'ECONNREFUSED', message }, 1_700_000_000_000 + mono, mono, 'e1');

describe('RecentEvents', () => {
  it('keeps the newest events under its count cap and answers a time range with equal objects', () => {
    const r = new RecentEvents(3, 1e9);
    const all = [1, 2, 3, 4, 5].map((m) => error(m * 1000, `refused ${m}`));
    for (const e of all.slice(0, 3)) r.push(e);
    expect(r.completeFrom).toBeNull(); // everything since the start is held
    for (const e of all.slice(3)) r.push(e);
    expect(r.length).toBe(3);
    expect(r.completeFrom).toBe(3000); // older ones gave way: complete from the oldest held
    expect(r.between()).toEqual(all.slice(2));
    expect(r.between(3500, 4500)).toEqual([all[3]]);
  });

  it('drops the oldest events when their text passes the size cap, but always keeps the newest', () => {
    const r = new RecentEvents(500, 1000);
    for (let m = 0; m < 50; m++) r.push(error(m, 'x'.repeat(100)));
    const kept = r.between();
    expect(kept.map((e) => JSON.stringify(e).length).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1000);
    expect(kept.at(-1)!.mono).toBe(49);
    expect(kept.length).toBeGreaterThan(1);
    r.push(error(50, 'y'.repeat(5000))); // larger than the cap on its own
    expect(r.between().map((e) => e.mono)).toEqual([50]);
  });
});
