// The heartbeat's timing logic under a manual clock: hours of beats in
// milliseconds. The transport records what would go on the wire; the real
// socket path is covered by the integration tests against the lab.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/engine/clock';
import { Heartbeat, pongMatcher } from '../../src/core/engine/heartbeat';
import { DEFAULTS, type HeartbeatConfig } from '../../src/shared/config';

function rig(over: Partial<HeartbeatConfig>) {
  const clock = new ManualClock();
  const sent: { t: number; data: string }[] = [];
  const log: string[] = [];
  let deadAt: number | null = null;
  const cfg = { ...DEFAULTS.heartbeat, ...over } as HeartbeatConfig;
  const hb = new Heartbeat(
    cfg,
    {
      ping: (data) => sent.push({ t: clock.now(), data: data.toString() }),
      send: (text) => sent.push({ t: clock.now(), data: text }),
    },
    clock,
    {
      rtt: (seq, rttMs, via) => log.push(`rtt ${seq} ${rttMs} ${via}`),
      missed: (seq, missed) => log.push(`missed ${seq} ${missed}`),
      dead: () => {
        deadAt = clock.now();
        log.push('dead');
      },
    },
  );
  return { clock, sent, log, hb, deadAt: () => deadAt };
}

describe('Heartbeat', () => {
  it('pings at once, then every interval, and measures RTT on the monotonic clock', () => {
    const r = rig({ intervalMs: 1000, timeoutMs: 500 });
    r.hb.start();
    for (let i = 0; i < 3; i++) {
      r.clock.advance(37);
      r.hb.onPong(Buffer.from(String(i + 1)));
      r.clock.advance(1000 - 37);
    }
    expect(r.sent.map((s) => s.t)).toEqual([0, 1000, 2000, 3000]);
    expect(r.log).toEqual(['rtt 1 37 ping', 'rtt 2 37 ping', 'rtt 3 37 ping']);
    r.hb.stop();
    expect(r.clock.pending).toBe(0);
  });

  it('a miss below the limit is reported and the next answer clears the count', () => {
    const r = rig({ intervalMs: 1000, timeoutMs: 500, misses: 2 });
    r.hb.start();
    r.clock.advance(1000); // beat 1 unanswered
    r.clock.advance(10);
    r.hb.onPong(Buffer.from('2'));
    r.clock.advance(990); // beat 3 unanswered
    r.clock.advance(600);
    expect(r.log).toEqual(['missed 1 1', 'rtt 2 10 ping', 'missed 3 1']);
    expect(r.deadAt()).toBeNull();
    r.hb.stop();
  });

  for (const [interval, timeout, misses] of [
    [1000, 500, 2],
    [10_000, 5_000, 3],
    [1000, 1000, 1],
    [1000, 2500, 2], // timeout longer than the interval: beats overlap, the bound still holds
  ] as const) {
    it(`a silent peer is dead within misses × interval + timeout (interval ${interval}, timeout ${timeout}, misses ${misses})`, () => {
      const r = rig({ intervalMs: interval, timeoutMs: timeout, misses });
      r.hb.start();
      r.clock.advance(3);
      r.hb.onPong(Buffer.from('1')); // last answer at t=3
      r.clock.advance(24 * 3600_000);
      const bound = 3 + misses * interval + timeout;
      expect(r.deadAt()).not.toBeNull();
      expect(r.deadAt()!).toBeLessThanOrEqual(bound);
      expect(r.log.filter((l) => l.startsWith('missed'))).toHaveLength(misses);
      expect(r.log.at(-1)).toBe('dead');
      expect(r.clock.pending).toBe(0); // dead stops everything
    });
  }

  it('message mode sends the payload with {seq} and matches answers with the rule', () => {
    const r = rig({ mode: 'message', payload: '{"op":"ping","n":{seq}}', match: { kind: 'json', path: 'op', equals: 'pong' }, intervalMs: 1000 });
    r.hb.start();
    r.clock.advance(5);
    r.hb.onMessage('{"op":"tick"}'); // other traffic is not an answer
    r.clock.advance(5);
    r.hb.onMessage('{"op":"pong"}');
    expect(r.sent[0]!.data).toBe('{"op":"ping","n":1}');
    expect(r.log).toEqual(['rtt 1 10 message']);
    r.hb.stop();
  });

  it('passive mode counts silence past interval + timeout as a miss, and any traffic as life', () => {
    const r = rig({ mode: 'passive', intervalMs: 1000, timeoutMs: 500, misses: 2 });
    r.hb.start();
    r.clock.advance(1400);
    r.hb.onPing();
    r.clock.advance(1400);
    r.hb.onMessage('tick');
    expect(r.log).toEqual([]);
    r.clock.advance(1500); // first deadline
    expect(r.log).toEqual(['missed 1 1']);
    r.clock.advance(1000); // then one interval later
    expect(r.log).toEqual(['missed 1 1', 'missed 2 2', 'dead']);
    expect(r.sent).toEqual([]); // passive never sends
  });

  it('a late pong after its timeout is ignored rather than credited to a newer beat', () => {
    const r = rig({ intervalMs: 1000, timeoutMs: 300, misses: 5 });
    r.hb.start();
    r.clock.advance(400); // beat 1 timed out
    r.hb.onPong(Buffer.from('1')); // late
    r.clock.advance(600);
    r.clock.advance(20);
    r.hb.onPong(Buffer.from('2'));
    expect(r.log).toEqual(['missed 1 1', 'rtt 2 20 ping']);
    r.hb.stop();
  });
});

describe('pongMatcher', () => {
  it('matches exact text, regular expressions and JSON fields', () => {
    expect(pongMatcher({ kind: 'exact', text: 'pong' })('pong')).toBe(true);
    expect(pongMatcher({ kind: 'exact', text: 'pong' })('pong ')).toBe(false);
    expect(pongMatcher({ kind: 'regex', pattern: '^PONG \\d+$', flags: 'i' })('pong 42')).toBe(true);
    const json = pongMatcher({ kind: 'json', path: 'data.kind', equals: 'pong' });
    expect(json('{"data":{"kind":"pong"}}')).toBe(true);
    expect(json('{"data":{"kind":"ping"}}')).toBe(false);
    expect(json('not json')).toBe(false);
    expect(json('{"data":null}')).toBe(false);
  });
});
