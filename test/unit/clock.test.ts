import { describe, expect, it } from 'vitest';
import { deadline, ManualClock } from '../../src/core/engine/clock';

/** A deadline of 10 ms on a manual clock, and how many verdicts it has given. */
function tenMs() {
  const clock = new ManualClock();
  const given = { count: 0 };
  return { clock, given, d: deadline(clock, 10, () => given.count++) };
}

describe('a deadline judged after what has come in is read', () => {
  it('gives its verdict once, when its time has come', () => {
    const { clock, given, d } = tenMs();
    clock.advance(9);
    expect(given.count).toBe(0);
    clock.advance(1);
    expect(given.count).toBe(1);
    d.clear();
    clock.advance(100);
    expect(given.count).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('is not given when cleared between its timer and its verdict, as an answer read after a stall clears it', () => {
    const { clock, given, d } = tenMs();
    // Due at the same moment and set after it: runs after the deadline's timer, before what that timer put off.
    clock.setTimeout(() => d.clear(), 10);
    clock.advance(10);
    expect(given.count).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('is not given when cleared before its time', () => {
    const { clock, given, d } = tenMs();
    d.clear();
    clock.advance(100);
    expect(given.count).toBe(0);
  });
});
