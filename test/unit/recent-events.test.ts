import { describe, expect, it } from 'vitest';
import { EventsPool, RecentEvents, RECENT_EVENTS_SHARE_FLOOR } from '../../src/core/record/recent-events';
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
    expect(r.storage).toBeGreaterThanOrEqual(5000);
    r.push(error(51, 'z')); // the long one gives way, and its storage with it
    expect(r.between().map((e) => e.mono)).toEqual([51]);
    expect(r.storage).toBeLessThanOrEqual(1000);
  });

  it('reads back every event whole however the ring has come round, multi-byte text included', () => {
    const r = new RecentEvents(500, 2048);
    const pushed = Array.from({ length: 300 }, (_, m) => error(m, `refusé ${'é✓𝄞'.repeat(m % 7)} ${m}`));
    for (const [i, e] of pushed.entries()) {
      r.push(e);
      // Everything still held reads back equal, the newest always among it, in order.
      const held = r.between();
      expect(held).toEqual(pushed.slice(i + 1 - held.length, i + 1));
      const bytes = held.reduce((n, h) => n + Buffer.byteLength(JSON.stringify(h)), 0);
      expect(bytes).toBeLessThanOrEqual(2048);
      expect(r.storage).toBeLessThanOrEqual(2048);
    }
    expect(r.length).toBeLessThan(300);
    expect(r.completeFrom).toBe(r.between()[0]!.mono);
  });

  it('takes storage as it fills: no events, no bytes; a few events, a little', () => {
    const r = new RecentEvents();
    expect(r.storage).toBe(0);
    for (let m = 0; m < 3; m++) r.push(error(m, 'refused'));
    expect(r.storage).toBe(1024);
    for (let m = 3; m < 2000; m++) r.push(error(m, 'refused'));
    // The size cap binds before the count: the ring is used to within one event of it, never past it.
    const held = r.between().reduce((n, h) => n + Buffer.byteLength(JSON.stringify(h)), 0);
    expect(r.storage).toBe(64 * 1024);
    expect(held).toBeGreaterThan(64 * 1024 - 200);
    expect(r.length).toBeLessThan(500);
  });

  it('draws on one pool: a ring fills to its cap while the pool has room, then none grows past its share, and none loses what it holds', () => {
    const KiB = 1024;
    const pool = new EventsPool(96 * KiB);
    const [flapper, second, third, ...quiet] = Array.from({ length: 8 }, () => new RecentEvents(1e9, 64 * KiB, pool));
    const share = (96 * KiB) / 8;
    let m = 0;
    const fill = (r: RecentEvents, n: number) => {
      for (let i = 0; i < n; i++) r.push(error(m++, 'refused'));
    };
    fill(flapper!, 2000);
    expect(flapper!.storage).toBe(64 * KiB); // the pool had room: its own cap
    fill(second!, 2000);
    // It grew while the pool had room, and stopped once it was full.
    const kept = second!.storage;
    expect(kept).toBeGreaterThan(share);
    expect(pool.used).toBeGreaterThanOrEqual(96 * KiB);
    fill(second!, 500);
    expect(second!.storage).toBe(kept); // it keeps what it has, its newest replacing its oldest
    expect(second!.between().at(-1)!.mono).toBe(m - 1);
    fill(third!, 2000);
    expect(third!.storage).toBeLessThanOrEqual(share); // a newcomer to a full pool: its share
    expect(third!.storage).toBeGreaterThan(share - 512);
    fill(flapper!, 500);
    expect(flapper!.storage).toBe(64 * KiB);
    for (const r of quiet) fill(r, 1);
    expect(pool.used).toBe([flapper, second, third, ...quiet].reduce((n, r) => n + r!.storage, 0));
    expect(pool.used).toBeLessThanOrEqual(2 * 96 * KiB);
    // An endpoint removed gives its storage back: the others may grow again.
    flapper!.release();
    expect(pool.used).toBe(kept + third!.storage + quiet.reduce((n, r) => n + r.storage, 0));
    fill(third!, 2000);
    expect(third!.storage).toBeGreaterThan(share);
  });

  it('holds each ring to the floor, not less, when the pool shared out would give less', () => {
    const pool = new EventsPool(0);
    const rings = Array.from({ length: 100 }, () => new RecentEvents(1e9, 64 * 1024, pool));
    for (const [i, r] of rings.entries()) for (let k = 0; k < 200; k++) r.push(error(i * 1000 + k, 'refused'));
    for (const r of rings) expect(r.storage).toBe(RECENT_EVENTS_SHARE_FLOOR);
  });

  it("holds its own endpoint's events without the version and endpoint every one repeats, and gives them back key for key", () => {
    const own = new RecentEvents(500, 4096, new EventsPool(), 'e1');
    const plain = new RecentEvents(500, 4096);
    const pushed = Array.from({ length: 100 }, (_, m) => error(m, `refused ${m}`));
    const other = stamp({ type: 'connecting', attempt: 1 }, 1_700_000_000_000 + 100, 100, 'e2');
    for (const e of [...pushed, other]) {
      own.push(e);
      plain.push(e);
    }
    // The same text back, keys in their order: what exports and the window read is unchanged.
    const text = (r: RecentEvents) => r.between().map((e) => JSON.stringify(e));
    expect(text(own)).toEqual([...pushed, other].slice(-own.length).map((e) => JSON.stringify(e)));
    expect(text(plain)).toEqual([...pushed, other].slice(-plain.length).map((e) => JSON.stringify(e)));
    // In the same bytes, more of them: each is held 22 bytes shorter ('"v":1,' and '"endpoint":"e1",').
    const line = Buffer.byteLength(JSON.stringify(pushed[50]));
    expect(own.length / plain.length).toBeGreaterThan(line / (line - 22) - 0.05);
    expect(own.length).toBeGreaterThan(plain.length);
  });
});
