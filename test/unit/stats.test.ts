import { describe, expect, it } from 'vitest';
import { EndpointCounters, LogHistogram, RttAccumulator } from '../../src/core/record/stats';
import { percentile } from '../../src/shared/percentile';

describe('RttAccumulator', () => {
  it('reports nothing before the first sample', () => {
    const s = new RttAccumulator().snapshot();
    expect(s).toMatchObject({ lastMs: null, minMs: null, meanMs: null, p50Ms: null, p99Ms: null, jitterMs: null, samples: 0 });
  });

  it('computes last, min, mean, max and jitter exactly', () => {
    const acc = new RttAccumulator();
    for (const v of [10, 20, 15, 40]) acc.add(v);
    const s = acc.snapshot();
    expect(s).toMatchObject({ lastMs: 40, minMs: 10, maxMs: 40, meanMs: 21.25, samples: 4 });
    // mean absolute difference of consecutive samples: (10 + 5 + 25) / 3
    expect(s.jitterMs).toBeCloseTo(40 / 3, 10);
  });

  it('percentiles stay within 1 % of the exact value over a wide range', () => {
    const acc = new RttAccumulator();
    const values: number[] = [];
    for (let i = 1; i <= 10_000; i++) {
      const v = 0.5 + (i % 997) * 1.37;
      values.push(v);
      acc.add(v);
    }
    values.sort((a, b) => a - b);
    const s = acc.snapshot();
    for (const [q, got] of [
      [0.5, s.p50Ms],
      [0.95, s.p95Ms],
      [0.99, s.p99Ms],
    ] as const) {
      const exact = percentile(values, q)!;
      expect(Math.abs(got! - exact) / exact).toBeLessThan(0.01);
    }
  });

  it('holds no histogram before its first sample, then fixed memory however many samples it sees', () => {
    const acc = new RttAccumulator();
    const empty = acc.bytes;
    acc.add(1);
    const before = acc.bytes;
    expect(before).toBeGreaterThan(empty + 1000);
    for (let i = 0; i < 100_000; i++) acc.add(Math.random() * 1000);
    expect(acc.bytes).toBe(before);
  });
});

describe('LogHistogram and percentile', () => {
  it('handles zero and huge values without throwing', () => {
    const h = new LogHistogram();
    h.add(0);
    h.add(1e9);
    expect(h.quantile(0)).toBeGreaterThanOrEqual(0);
    expect(h.quantile(1)).toBeGreaterThan(590_000); // clamped to the top bucket
  });
  it('exact percentile of a sorted array uses the nearest rank', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('EndpointCounters', () => {
  it('computes loss and uptime over monitored time only', () => {
    const c = new EndpointCounters();
    c.track(0, false, true); // connecting
    c.track(1000, true, true); // open
    c.rtt.add(5);
    c.rtt.add(7);
    c.rtt.add(6);
    c.heartbeatsMissed = 1;
    c.track(4000, false, true); // dropped, retrying
    c.track(5000, false, false); // paused: not counted
    const s = c.snapshot(100_000);
    expect(s.connectedMs).toBe(3000);
    expect(s.uptime).toBeCloseTo(3000 / 5000, 10);
    expect(s.loss).toBe(0.25);
    expect(s.heartbeatsAnswered).toBe(3);
  });
  it('has no uptime or loss before anything happened', () => {
    const s = new EndpointCounters().snapshot(10);
    expect(s.uptime).toBeNull();
    expect(s.loss).toBeNull();
  });
});
