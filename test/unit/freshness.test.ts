// Freshness on a manual clock: a feed that stops delivering is stale while connected, and fresh again with data.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/engine/clock';
import { Freshness } from '../../src/core/engine/freshness';

function rig(match?: { kind: 'exact'; text: string }) {
  const clock = new ManualClock();
  const log: string[] = [];
  const f = new Freshness({ everyMs: 1000, ...(match ? { match } : {}) }, clock, {
    stale: (ms) => log.push(`stale ${ms}`),
    fresh: (ms) => log.push(`fresh ${ms}`),
  });
  f.start();
  return { clock, log, f };
}

describe('Freshness', () => {
  it('data more often than every D: never stale', () => {
    const r = rig();
    for (let i = 0; i < 50; i++) {
      r.clock.advance(900);
      r.f.onData('tick');
    }
    expect(r.log).toEqual([]);
    r.f.stop();
    expect(r.clock.pending).toBe(0);
  });

  it('stale once D passes with no data (once, however long it lasts), fresh with the next data, with the silence measured', () => {
    const r = rig();
    r.clock.advance(400);
    r.f.onData('tick'); // last data at 400
    r.clock.advance(1000); // 1400: the first deadline (1000) found data 600 ms old; the next one is at 1400
    expect(r.log).toEqual(['stale 1000']);
    r.clock.advance(5000);
    expect(r.log).toEqual(['stale 1000']);
    r.f.onData('tick'); // at 6400: 6000 ms after the last data
    expect(r.log).toEqual(['stale 1000', 'fresh 6000']);
    r.f.stop();
  });

  it('with a rule, only matching messages count as data', () => {
    const r = rig({ kind: 'exact', text: 'price' });
    for (let i = 0; i < 5; i++) {
      r.clock.advance(300);
      r.f.onData('heartbeat'); // traffic, but not the data the feed promises
    }
    expect(r.log).toEqual(['stale 1000']);
    r.f.onData('price');
    expect(r.log).toEqual(['stale 1000', 'fresh 1500']);
    r.f.stop();
  });
});
