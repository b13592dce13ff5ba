import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, History, historyLimits } from '../../src/core/record/history';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('History', () => {
  it('returns raw samples inside the range and the open minute as a bucket', () => {
    const h = new History();
    for (let i = 0; i < 10; i++) h.addRtt(i * 1000, 10 + i, null);
    const w = h.query(2000, 5000);
    expect(w.raw.map((p) => p.rttMs)).toEqual([12, 13, 14, 15]);
    expect(w.buckets).toHaveLength(1);
    expect(w.buckets[0]).toMatchObject({ t: 0, spanMs: MIN, count: 10, minMs: 10, maxMs: 19, meanMs: 14.5, p10Ms: 10, medianMs: 14, p90Ms: 18 });
  });

  it('a history rebuilt from the past takes a later one after it: the same buckets and samples as one history fed both, in the same bounds', () => {
    const limits = { rawCapacity: 50, minuteCapacity: 20, hourCapacity: 5, dayCapacity: 2 };
    const [past, live, whole] = [new History(limits), new History(limits), new History(limits)];
    const feed = (hs: History[], t: number, v: number) => hs.forEach((h) => (v < 0 ? h.addMiss(t) : h.addRtt(t, v, null)));
    // Three hours before time 0 (one summary line a minute, as a thinned log has), then ten minutes after.
    for (let t = -3 * HOUR; t < 0; t += MIN) feed([past, whole], t, t % (7 * MIN) === 0 ? -1 : 20);
    for (let t = 0; t < 10 * MIN; t += 5000) feed([live, whole], t, 5);
    past.appendLater(live);
    expect(past.query(-Infinity, Infinity)).toEqual(whole.query(-Infinity, Infinity));
    expect(past.bytes).toBe(whole.bytes);
  });

  it('a minute keeps its samples’ p10, median and p90; an hour averages its minutes’, weighted by their samples (SmokePing’s consolidation)', () => {
    const h = new History({ rawCapacity: 1000, minuteCapacity: 2, hourCapacity: 5, dayCapacity: 2 });
    // Minute 0: 10 samples 1..10 ms; minute 1: 30 samples of 100 ms; minute 2: one of 1 ms. The next hour's minutes push them into hour 0.
    for (let i = 0; i < 10; i++) h.addRtt(i * 1000, i + 1, null);
    for (let i = 0; i < 30; i++) h.addRtt(MIN + i * 1000, 100, null);
    h.addRtt(2 * MIN, 1, null);
    expect(h.query(0, MIN - 1).buckets[0]).toMatchObject({ p10Ms: 1, medianMs: 5, p90Ms: 9 });
    for (let m = 0; m < 4; m++) h.addRtt(HOUR + m * MIN, 1, null);
    const hour = h.query(0, HOUR - 1).buckets.find((b) => b.spanMs === HOUR)!;
    expect(hour.count).toBe(41);
    expect(hour.medianMs).toBeCloseTo((10 * 5 + 30 * 100 + 1) / 41, 4);
    expect(hour.p10Ms).toBeCloseTo((10 * 1 + 30 * 100 + 1) / 41, 4);
    expect(hour.p90Ms).toBeCloseTo((10 * 9 + 30 * 100 + 1) / 41, 4);
  });

  it('keeps a year: hours roll into days past the hour ring, days past the day ring give way', () => {
    const h = new History({ rawCapacity: 8, minuteCapacity: 60, hourCapacity: 48, dayCapacity: 5 });
    // A sample a minute for 10 days, 1 ms on day d … (d + 1) ms.
    for (let t = 0; t < 10 * DAY; t += MIN) h.addRtt(t, 1 + Math.floor(t / DAY), null);
    const { buckets } = h.query(-Infinity, Infinity);
    const days = buckets.filter((b) => b.spanMs === DAY);
    // Days 0 to 9: the last hour of minutes, 48 hours, the open day before them, and the 5 closed days before that.
    expect(days.map((b) => b.t / DAY)).toEqual([2, 3, 4, 5, 6]);
    expect(days.map((b) => b.medianMs)).toEqual([3, 4, 5, 6, 7]);
    for (const b of days) expect(b.count).toBe(1440);
    expect(h.since).toBe(2 * DAY);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.t).toBeGreaterThanOrEqual(buckets[i - 1]!.t + buckets[i - 1]!.spanMs);
  });

  it('resized, it holds what the same samples fed to rings of that size would: fewer hours roll into days, the oldest days give way', () => {
    const big = { rawCapacity: 8, minuteCapacity: 60, hourCapacity: 48, dayCapacity: 5 };
    const small = { rawCapacity: 8, minuteCapacity: 60, hourCapacity: 24, dayCapacity: 2 };
    const [h, direct] = [new History(big), new History(small)];
    for (let t = 0; t < 10 * DAY; t += MIN) for (const x of [h, direct]) x.addRtt(t, 1 + Math.floor(t / DAY) + (t % HOUR) / HOUR, null);
    const resized = h.resized(small);
    expect(resized.limits).toBe(small);
    const shape = (x: History) => x.query(-Infinity, Infinity).buckets.map((b) => [b.t, b.spanMs, b.count]);
    expect(shape(resized)).toEqual(shape(direct));
    expect(shape(resized)).not.toEqual(shape(h));
    const medians = (x: History) => x.query(-Infinity, Infinity).buckets.map((b) => b.medianMs!);
    medians(resized).forEach((m, i) => expect(m).toBeCloseTo(medians(direct)[i]!, 4));
    expect(resized.query(-Infinity, Infinity).raw).toEqual(direct.query(-Infinity, Infinity).raw);
    expect(resized.bytes).toBeLessThan(h.bytes);
  });

  it('reaches back as many days as its setting: hours for up to 90 days, days beyond', () => {
    expect(historyLimits(7)).toEqual({ rawCapacity: 1536, minuteCapacity: 1440, hourCapacity: 7 * 24, dayCapacity: 1 });
    expect(historyLimits(90)).toEqual({ rawCapacity: 1536, minuteCapacity: 1440, hourCapacity: 90 * 24, dayCapacity: 1 });
    expect(historyLimits(365)).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toMatchObject({ hourCapacity: 90 * 24, dayCapacity: 365 });
  });

  it('the open minute’s bounds are kept at the rings’ precision: min never above p10, max never below p90', () => {
    const h = new History();
    for (const v of [101.365, 101.365, 250.1, 99.7001]) h.addRtt(1000, v, null);
    const [open] = h.query(0, MIN).buckets;
    expect(open!.minMs).toBeLessThanOrEqual(open!.p10Ms!);
    expect(open!.maxMs).toBeGreaterThanOrEqual(open!.p90Ms!);
    expect(open!.minMs).toBe(Math.fround(99.7001));
  });

  it('counts a thinned log line as the samples it summarises', () => {
    const h = new History();
    h.addRtt(1000, 10, null, { samples: 60, minMs: 2, maxMs: 40 });
    expect(h.query(0, MIN).buckets[0]).toMatchObject({ count: 60, minMs: 2, maxMs: 40, meanMs: 10 });
  });

  it('keeps only the newest raw samples once the ring is full', () => {
    const h = new History({ rawCapacity: 100, minuteCapacity: 10, hourCapacity: 5, dayCapacity: 2 });
    for (let i = 0; i < 1000; i++) h.addRtt(i * 10, i, null);
    expect(h.rawSince).toBe(9000);
    const raw = h.query(0, Infinity).raw;
    expect(raw).toHaveLength(100);
    expect(raw[0]!.rttMs).toBe(900);
    expect(raw[99]!.rttMs).toBe(999);
  });

  it('consolidates minutes into hours and hours into days without losing counts, and memory stops growing at its cap', () => {
    const h = new History({ rawCapacity: 64, minuteCapacity: 30, hourCapacity: 4, dayCapacity: 2 });
    const initial = h.bytes;
    let atSixHours = 0;
    // Ten hours at one sample per second, a miss every minute, a disconnect and an attempt every ten minutes.
    let samples = 0;
    for (let t = 0; t < 10 * HOUR; t += 1000) {
      h.addRtt(t, 50 + ((t / 1000) % 7), null);
      samples++;
      if (t % MIN === 0) h.addMiss(t + 1);
      if (t % (10 * MIN) === 0) {
        h.addDisconnect(t + 2, 'heartbeat');
        h.addAttempt(t + 3);
      }
      if (t === 6 * HOUR) atSixHours = h.bytes;
    }
    // raw 64 × (8 + 4 + 4) + minutes 30, hours 4 and days 2 × (8 + 10 × 4): each bucket's time and the ten fields
    // written (no network RTT, one cause of four; the days take the minutes' columns when reserved). None larger.
    expect(h.bytes).toBe(64 * 16 + 30 * 48 + 4 * 48 + 2 * 48);
    expect(atSixHours).toBe(h.bytes);
    expect(initial).toBeLessThan(h.bytes);
    const { buckets } = h.query(0, Infinity);
    // The hour ring holds the 4 newest completed hours (5 to 8); hours 0 to 4 rolled into the day, shown up to where the hours begin.
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(36_000);
    expect(buckets[0]).toMatchObject({ t: 0, spanMs: 5 * HOUR, count: 5 * 3600, missed: 5 * 60, minMs: 50, maxMs: 56 });
    const hours = buckets.filter((b) => b.spanMs === HOUR);
    expect(hours).toHaveLength(4);
    for (const b of hours) {
      expect(b.count).toBe(3600);
      expect(b.missed).toBe(60);
      expect(b.disconnects).toEqual({ 'server-close': 0, heartbeat: 6, network: 0, handshake: 0 });
      expect(b.minMs).toBe(50);
      expect(b.maxMs).toBe(56);
      expect(b.meanMs).toBeCloseTo(53, 0);
    }
    const minutes = buckets.filter((b) => b.spanMs === MIN);
    expect(minutes.length).toBe(31); // 30 closed minutes in the ring + the open one
    for (const m of minutes) expect(m.count).toBe(60);
    // Buckets cover time in order and never overlap.
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.t).toBeGreaterThanOrEqual(buckets[i - 1]!.t + buckets[i - 1]!.spanMs);
    expect(samples).toBe(36_000);
  });

  it('stops allocating once the minute ring has its full size: memory is flat from the first day on', () => {
    const h = new History({ rawCapacity: 64, minuteCapacity: 30, hourCapacity: 100, dayCapacity: 10 });
    let sizedAt = 0;
    for (let t = 0; t < 20 * HOUR; t += 1000) {
      h.addRtt(t, 5, null);
      if (t === 31 * MIN) sizedAt = h.bytes;
    }
    // Every ring its whole capacity, in the columns the minutes use: a time and 7 fields (the count, min, max, sum, p10, p50, p90).
    expect(sizedAt).toBe(64 * 16 + 30 * 36 + 100 * 36 + 10 * 36);
    expect(h.bytes).toBe(sizedAt);
  });

  it('holds only the columns it has used: no disconnect counts for a healthy endpoint, no RTTs for one that never connects', () => {
    const limits = { rawCapacity: 64, minuteCapacity: 30, hourCapacity: 100, dayCapacity: 10 };
    const healthy = new History(limits);
    const down = new History(limits);
    for (let t = 0; t < 3 * HOUR; t += 1000) {
      healthy.addRtt(t, 5, 1);
      if (t % 20_000 === 0) {
        down.addAttempt(t);
        down.addDisconnect(t + 1, 'network');
      }
    }
    // A time and 9 fields (the count, min, max, sum, p10, p50, p90, and the network RTT's count and sum) in each bucket ring.
    expect(healthy.bytes).toBe(64 * 16 + (30 + 100 + 10) * (8 + 9 * 4));
    // A time and 2 fields (attempts, network disconnects); no raw sample.
    expect(down.bytes).toBe((30 + 100 + 10) * (8 + 2 * 4));
    const hour = down.query(HOUR, 2 * HOUR - 1).buckets.find((b) => b.spanMs === HOUR)!;
    expect(hour).toMatchObject({ count: 0, minMs: null, maxMs: null, attempts: 180, missed: 0 });
    expect(hour.disconnects).toEqual({ 'server-close': 0, heartbeat: 0, network: 180, handshake: 0 });
    // A first miss later takes that column in the rings its rows reach, and nothing else.
    const before = healthy.bytes;
    healthy.addMiss(3 * HOUR + 5);
    healthy.addRtt(3 * HOUR + MIN, 5, 1);
    expect(healthy.bytes).toBe(before + 30 * 4);
  });

  it('keeps the network RTT with each sample and its mean per bucket, over the answers that carried one', () => {
    const h = new History();
    h.addRtt(1000, 10, 2);
    h.addRtt(2000, 12, null);
    h.addRtt(3000, 14, 4);
    h.addRtt(MIN + 1000, 20, null);
    const w = h.query(0, Infinity);
    expect(w.raw.map((p) => p.networkMs)).toEqual([2, null, 4, null]);
    expect(w.buckets.map((b) => [b.meanMs, b.networkMeanMs])).toEqual([
      [12, 3],
      [20, null],
    ]);
  });

  it('answers a range query with only the overlapping buckets', () => {
    const h = new History();
    for (let t = 0; t < 10 * MIN; t += 1000) h.addRtt(t, 1, null);
    const w = h.query(3 * MIN, 5 * MIN - 1);
    expect(w.buckets.map((b) => b.t)).toEqual([3 * MIN, 4 * MIN]);
  });

  it('records misses, disconnects and attempts even without RTT samples', () => {
    const h = new History();
    h.addDisconnect(100, 'network');
    h.addAttempt(200);
    h.addAttempt(MIN + 5);
    const b = h.query(0, Infinity).buckets;
    expect(b).toHaveLength(2);
    expect(b[0]).toMatchObject({ count: 0, meanMs: null, disconnects: { network: 1, heartbeat: 0 }, attempts: 1 });
    expect(b[1]).toMatchObject({ attempts: 1 });
  });
});

describe('ColumnRing', () => {
  it('holds nothing until its first row, grows by doubling up to its capacity, then drops the oldest rows', async () => {
    const { ColumnRing } = await import('../../src/core/record/ring');
    const layout = { v: Float64Array };
    const r = new ColumnRing(40, layout);
    expect(r.bytes).toBe(0);
    // Rings of one layout with no row share one set of empty columns.
    expect(new ColumnRing(9, layout).cols.v).toBe(r.cols.v);
    // append() first: a growth replaces the columns.
    const put = (v: number) => {
      const i = r.append();
      r.cols.v[i] = v;
    };
    put(1);
    expect(r.bytes).toBe(16 * 8); // its first storage
    for (let v = 2; v <= 20; v++) put(v);
    expect(r.bytes).toBe(32 * 8); // 16 -> 32 slots
    for (let v = 21; v <= 63; v++) put(v);
    expect(r.bytes).toBe(40 * 8); // capped
    expect(Array.from({ length: r.length }, (_, k) => r.cols.v[r.index(k)])).toEqual(Array.from({ length: 40 }, (_, i) => 24 + i));
  });

  it('held rows read later are the rows as they stood when held, whatever the ring did meanwhile: wrapped, grown, replaced, held again', async () => {
    const { ColumnRing } = await import('../../src/core/record/ring');
    const layout = { t: Float64Array, v: Float32Array };
    const ring = (capacity: number) => {
      const r = new ColumnRing(capacity, layout);
      const put = (from: number, to: number) => {
        for (let v = from; v <= to; v++) {
          const i = r.append();
          r.cols.t[i] = v;
          r.cols.v[i] = -v;
        }
      };
      return { r, put };
    };
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const expectRows = (rows: { length: number; cols: Record<string, ArrayLike<number>> }, values: number[], shift = 0) => {
      expect(rows.length).toBe(values.length);
      expect(Array.from(rows.cols.t!)).toEqual(values.map((v) => v + shift));
      expect(Array.from(rows.cols.v!)).toEqual(values.map((v) => -v));
    };

    // Full and wrapped when held; then overwritten once round and more: every held row comes back, oldest first, times shifted.
    const full = ring(8);
    full.put(1, 11);
    const a = full.r.hold(1000);
    full.put(12, 30);
    expectRows(a, range(4, 11), 1000);
    // Read once: the same copy, and the ring keeps nothing more for it.
    expect(a.cols).toBe(a.cols);
    expect(a.take()).toBe(a.cols);
    // Taken without a read first (a snapshot's writer): a copy for that one use, none after.
    const once = ring(4);
    once.put(1, 6);
    const t = once.r.hold(0);
    once.put(7, 8);
    expect(Array.from(t.take().t!)).toEqual(range(3, 6));
    expect(() => t.take()).toThrow('taken');
    expect(() => t.cols).toThrow('taken');

    // Not full when held, its storage whole (16 slots, its first): the ring fills, then overwrites the held rows.
    const filling = ring(16);
    filling.put(1, 10);
    const e = filling.r.hold(0);
    filling.put(11, 40);
    expectRows(e, range(1, 10));

    // Not full when held, storage still to grow.
    const grown = ring(40);
    grown.put(1, 16); // its first 16 slots, all used
    const b = grown.r.hold(0);
    grown.put(17, 60); // grows twice (new storage: the held one is never written again), then wraps
    expectRows(b, range(1, 16));

    // Taken over by an import before it is read.
    const replaced = ring(8);
    replaced.put(1, 5);
    const c = replaced.r.hold(0);
    replaced.r.importRows({ length: 2, cols: { t: new Float64Array([100, 101]), v: new Float32Array([-100, -101]) } });
    replaced.put(102, 120);
    expectRows(c, range(1, 5));

    // Held again before the first was read: the first is read then, and both are right.
    const twice = ring(4);
    twice.put(1, 4);
    const first = twice.r.hold(0);
    twice.put(5, 6);
    const second = twice.r.hold(0);
    twice.put(7, 20);
    expectRows(second, range(3, 6));
    expectRows(first, range(1, 4));

    // Let go unread: the ring stops keeping its rows (a later read has only what was never overwritten to go on; nobody reads it).
    const dropped = ring(4);
    dropped.put(1, 4);
    const d = dropped.r.hold(0);
    d.release();
    dropped.put(5, 6);
    expect(Array.from(d.cols.t!)).not.toEqual(range(1, 4));
  });

  it('a sparse column takes storage at its first non-zero value, reads 0 until then, and its held rows stay right across that', async () => {
    const { ColumnRing } = await import('../../src/core/record/ring');
    const layout = { t: Float64Array, v: Float32Array };
    const r = new ColumnRing(8, layout, ['v']);
    const row = (t: number, v: number) => {
      const i = r.append();
      r.put('t', i, t);
      r.put('v', i, v);
    };
    for (let t = 1; t <= 8; t++) row(t, 0);
    expect(r.bytes).toBe(8 * 8); // the time column only
    expect(r.get('v', r.index(0))).toBe(0);
    // A write by index to a column not yet taken is lost, never stored where another ring could read it.
    r.cols.v[r.index(0)] = 7;
    expect(r.get('v', r.index(0))).toBe(0);
    expect(new ColumnRing(8, layout, ['v']).cols.v.length).toBe(0);
    // Full and held, then held rows overwritten before and after the column is taken: they come back as they were.
    const held = r.hold(0);
    for (let t = 9; t <= 14; t++) row(t, t % 2 ? t : 0);
    expect(r.bytes).toBe(8 * 8 + 8 * 4); // full size (8), now with the column
    expect(Array.from(held.cols.v!)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from({ length: r.length }, (_, k) => r.get('v', r.index(k)))).toEqual([0, 0, 9, 0, 11, 0, 13, 0]);
    // Imported rows with only zeros in it leave it empty; reserved like a ring that has it, it is taken.
    const copy = new ColumnRing(8, layout, ['v']);
    copy.importRows({ length: 2, cols: { t: new Float64Array([1, 2]), v: new Float32Array(2) } });
    expect(copy.cols.v.length).toBe(0);
    copy.reserve();
    expect(copy.bytes).toBe(8 * 8);
    const like = new ColumnRing(8, layout, ['v']);
    like.reserve(r);
    expect(like.bytes).toBe(8 * 8 + 8 * 4);
  });
});
