import { describe, expect, it } from 'vitest';
import { StateTimeline, UPTIME_HOURS } from '../../src/core/record/timeline';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('StateTimeline uptime', () => {
  it('over 30 and 90 days of a flapping endpoint: by the hour, once its transitions no longer reach back', () => {
    const tl = new StateTimeline(64);
    // 100 days: each hour open 45 min, then down (waiting) 15 min; paused on days 10 and 11 (not monitored).
    for (let h = 0; h < 100 * 24; h++) {
      const t = h * HOUR;
      const paused = t >= 10 * DAY && t < 12 * DAY;
      tl.record(t, paused ? 'paused' : 'open');
      if (!paused) tl.record(t + 45 * MIN, 'waiting');
    }
    const now = 100 * DAY;
    // The transitions reach back 32 hours only (64 of them).
    expect(tl.since).toBe(now - 32 * HOUR);
    const month = tl.uptime(now - 30 * DAY, now);
    expect(month.value).toBeCloseTo(0.75, 6);
    expect(month.since).toBe(now - 30 * DAY);
    // 90 days back reaches day 10: the two paused days count neither way.
    expect(tl.uptime(now - 90 * DAY, now).value).toBeCloseTo(0.75, 6);
    // Exact where the transitions reach: the last 24 h.
    expect(tl.uptime(now - DAY, now)).toEqual({ value: 0.75, since: now - 32 * HOUR });
  });

  it('keeps 90 days of hours: a longer span is judged from where they begin, and says so', () => {
    const tl = new StateTimeline(8);
    for (let d = 0; d < 120; d++) {
      tl.record(d * DAY, 'open');
      tl.record(d * DAY + 12 * HOUR, d < 20 ? 'waiting' : 'open');
      tl.record(d * DAY + 12 * HOUR + 1, d < 20 ? 'open' : 'waiting');
    }
    const now = 120 * DAY;
    const all = tl.uptime(-Infinity, now);
    // Hours are filled up to the last change (day 119, 12 h): the 2,160 before it are kept, the older ones gave way.
    expect(all.since).toBe((119 * 24 + 12 - UPTIME_HOURS) * HOUR);
    // Days 20 on: open half of each day (the span begins and ends on a down half: a little under half).
    expect(all.value).toBeCloseTo(0.5, 2);
  });

  it('takes its 90 days of hours at the first hour it closes, and nothing after but its ring of changes', () => {
    const tl = new StateTimeline(4);
    tl.record(0, 'connecting');
    tl.record(1000, 'open');
    const changes = 4 * (8 + 1);
    expect(tl.bytes).toBe(changes); // no hour closed yet
    tl.record(2 * HOUR, 'waiting');
    expect(tl.bytes).toBe(changes + UPTIME_HOURS * (8 + 4 + 4));
    for (let d = 1; d <= 100; d++) tl.record(d * DAY, d % 2 ? 'open' : 'waiting');
    expect(tl.bytes).toBe(changes + UPTIME_HOURS * (8 + 4 + 4));
  });

  it('counts the time since the last change in its state, up to now', () => {
    const tl = new StateTimeline(4);
    tl.record(0, 'connecting');
    tl.record(1000, 'open');
    for (let k = 1; k <= 5; k++) tl.record(k * HOUR, k % 2 ? 'waiting' : 'open');
    // Last change at 5 h (waiting); by 7 h: up 1 s..1 h, 2 h..3 h, 4 h..5 h; down the rest.
    const { value } = tl.uptime(-Infinity, 7 * HOUR);
    expect(value).toBeCloseTo((3 * HOUR - 1000) / (7 * HOUR), 6);
  });
});
