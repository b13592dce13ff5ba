// The heartbeat's timing logic under a manual clock: hours of beats in
// milliseconds, with the plain driver (no protocol on top) writing beats and
// recognising answers. What would go on the wire is recorded; the real socket
// path is covered by the integration tests against the lab.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/engine/clock';
import { Heartbeat, REMEMBERED_BEATS } from '../../src/core/engine/heartbeat';
import { answerMatcher } from '../../src/core/engine/answer-matcher';
import type { Driver } from '../../src/core/engine/protocols/driver';
import { plain } from '../../src/core/engine/protocols/plain';
import { parseEndpoint, type HeartbeatConfig } from '../../src/shared/config';

function rig(over: Partial<HeartbeatConfig>) {
  const clock = new ManualClock();
  const sent: { t: number; data: string; raw: Buffer }[] = [];
  const log: string[] = [];
  let deadAt: number | null = null;
  // Timings outside what the schema allows are fine here: the heartbeat's logic does not depend on them.
  const parsed = parseEndpoint({ url: 'ws://x/' });
  const cfg = { ...parsed, heartbeat: { ...parsed.heartbeat, ...over }, id: 'x', name: 'x' };
  const hb: Heartbeat = new Heartbeat(
    cfg.heartbeat,
    {
      ping: (data) => sent.push({ t: clock.now(), data: data.toString('hex'), raw: Buffer.from(data) }),
      beat: (seq) => driver.beat(seq),
    },
    clock,
    {
      rtt: (seq, rttMs, via, late) => log.push(`rtt ${seq} ${rttMs} ${via}${late ? ' late' : ''}`),
      missed: (seq, missed, silence) => log.push(`${silence ? 'silence' : 'missed'} ${seq} ${missed}`),
      failed: (seq, message) => log.push(`failed ${seq} ${message}`),
      dead: () => {
        deadAt = clock.now();
        log.push('dead');
      },
    },
  );
  const driver: Driver = plain(
    cfg,
    {
      send: (data) => sent.push({ t: clock.now(), data: data.toString(), raw: Buffer.from(data) }),
      ready: () => {},
      refuse: () => {},
      fault: () => {},
      answer: (seq) => hb.answer(seq),
      failBeat: (seq, m) => hb.fail(seq, m),
      alive: () => hb.alive(),
      watchPeer: (a, b, c) => hb.watchPeer(a, b, c),
      data: () => {},
    },
    clock,
  );
  /** A text message from the peer, through the plain driver. */
  const onMessage = (text: string) => driver.message(Buffer.from(text), false);
  /** The pong a peer that read ping `seq` sends back: its payload echoed. */
  const pong = (seq: number) => hb.onPong(hb.pingPayload(seq));
  return { clock, sent, log, hb, onMessage, pong, onPing: () => driver.ping(), deadAt: () => deadAt };
}

describe('Heartbeat', () => {
  it('pings at once, then every interval, and measures RTT on the monotonic clock', () => {
    const r = rig({ intervalMs: 1000, timeoutMs: 500 });
    r.hb.start();
    for (let i = 0; i < 3; i++) {
      r.clock.advance(37);
      r.pong(i + 1);
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
    r.pong(2);
    r.clock.advance(990); // beat 3 unanswered
    r.clock.advance(600);
    expect(r.log).toEqual(['missed 1 1', 'rtt 2 10 ping', 'missed 3 1']);
    expect(r.deadAt()).toBeNull();
    r.hb.stop();
  });

  it('overlapping beats: misses in a row are counted in beat order, whatever order the answers and verdicts come in', () => {
    // Timeout 250 ms, a beat every 100 ms: beat 3 is answered before beat 2's deadline. In beat order that is
    // missed, answered, missed (beat 4): never two misses in a row, so never dead.
    const r = rig({ intervalMs: 100, timeoutMs: 250, misses: 2 });
    r.hb.start();
    r.clock.advance(10);
    r.pong(1);
    r.clock.advance(200); // beats 2 and 3 out
    r.pong(3);
    r.clock.advance(350); // beat 2's deadline (350), then beat 4's (550)
    r.pong(5);
    r.pong(6);
    expect(r.log.filter((l) => !l.startsWith('rtt'))).toEqual(['missed 2 1', 'missed 4 1']);
    expect(r.deadAt()).toBeNull();
    // A miss before an answer still joins the row behind it: beats 7 and 8 missed are two in a row, then dead.
    r.clock.advance(1000);
    expect(r.log.filter((l) => !l.startsWith('rtt')).slice(2)).toEqual(['missed 7 1', 'missed 8 2', 'dead']);
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
      r.pong(1); // last answer at t=3
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
    r.onMessage('{"op":"tick"}'); // other traffic is not an answer
    r.clock.advance(5);
    r.onMessage('{"op":"pong"}');
    expect(r.sent[0]!.data).toBe('{"op":"ping","n":1}');
    expect(r.log).toEqual(['rtt 1 10 message']);
    r.hb.stop();
  });

  it('passive mode counts silence past interval + timeout as a miss, and any traffic as life', () => {
    const r = rig({ mode: 'passive', intervalMs: 1000, timeoutMs: 500, misses: 2 });
    r.hb.start();
    r.clock.advance(1400);
    r.onPing();
    r.clock.advance(1400);
    r.onMessage('tick');
    expect(r.log).toEqual([]);
    r.clock.advance(1500); // first deadline
    expect(r.log).toEqual(['silence 1 1']);
    r.clock.advance(1000); // then one interval later
    expect(r.log).toEqual(['silence 1 1', 'silence 2 2', 'dead']);
    expect(r.sent).toEqual([]); // passive never sends
  });

  it('a late pong is credited to its own beat with its real RTT, marked late, and never to a newer beat', () => {
    const r = rig({ intervalMs: 1000, timeoutMs: 300, misses: 5 });
    r.hb.start();
    r.clock.advance(400); // beat 1 timed out
    r.pong(1); // late
    r.clock.advance(600);
    r.clock.advance(20);
    r.pong(2);
    expect(r.log).toEqual(['missed 1 1', 'rtt 1 400 ping late', 'rtt 2 20 ping']);
    r.hb.stop();
  });

  it('every answer 1.2 s late with a 500 ms timeout: each beat missed, each answer late with its real RTT, dead at the third miss', () => {
    const r = rig({ intervalMs: 1000, timeoutMs: 500, misses: 3 });
    r.hb.start();
    // The peer answers every ping 1,200 ms after it was sent.
    for (let t = 0; t < 4000; t += 100) {
      r.clock.advance(100);
      const due = r.sent.filter((s) => s.t + 1200 === r.clock.now());
      for (const s of due) r.hb.onPong(s.raw);
    }
    expect(r.log).toEqual(['missed 1 1', 'rtt 1 1200 ping late', 'missed 2 2', 'rtt 2 1200 ping late', 'missed 3 3', 'dead']);
    expect(r.deadAt()).toBe(2500);
  });

  it('unsolicited pongs and pongs with a foreign payload answer no beat: no RTT sample, and the misses stand', () => {
    const r = rig({ intervalMs: 1000, timeoutMs: 500, misses: 2 });
    r.hb.start();
    for (let t = 0; t < 3000; t += 100) {
      r.clock.advance(100);
      r.hb.onPong(Buffer.alloc(0)); // a one-way heartbeat (RFC 6455 §5.5.3)
      r.hb.onPong(Buffer.from('keepalive'));
      r.pong(99); // a number we never sent
    }
    expect(r.log).toEqual(['missed 1 1', 'missed 2 2', 'dead']);
  });

  it('message mode answers in order: a late answer is credited to the missed beat it answers, not to the next one', () => {
    const r = rig({ mode: 'message', payload: 'ping', match: { kind: 'exact', text: 'pong' }, intervalMs: 1000, timeoutMs: 500, misses: 5 });
    r.hb.start();
    r.clock.advance(700); // beat 1 missed at 500
    r.onMessage('pong'); // its answer, late
    r.clock.advance(300); // beat 2 sent at 1000
    r.clock.advance(30);
    r.onMessage('pong');
    expect(r.log).toEqual(['missed 1 1', 'rtt 1 700 message late', 'rtt 2 30 message']);
    r.hb.stop();
  });

  it('message mode with {seq} in the rule ties each answer to its beat exactly, whatever the order', () => {
    const r = rig({
      mode: 'message',
      payload: '{"id":{seq},"method":"ping"}',
      match: { kind: 'json', path: 'id', equals: '{seq}' },
      intervalMs: 1000,
      timeoutMs: 1500,
      misses: 5,
    });
    r.hb.start();
    r.clock.advance(1000); // beats 1 and 2 out
    r.clock.advance(100);
    r.onMessage('{"id":2,"result":"pong"}');
    r.onMessage('{"id":1,"result":"pong"}');
    r.onMessage('{"id":1,"result":"pong"}'); // a duplicate answers nothing
    r.onMessage('{"id":"x"}');
    expect(r.log).toEqual(['rtt 2 100 message', 'rtt 1 1100 message']);
    r.hb.stop();
  });

  it('beats within their timeout are never forgotten, however many: a long timeout still ends in a death', () => {
    // 50 ms interval, 10 s timeout: 200 beats in flight at once, more than are remembered once missed.
    const r = rig({ intervalMs: 50, timeoutMs: 10_000, misses: 3 });
    r.hb.start();
    r.clock.advance(20_000);
    expect(r.log.slice(0, 4)).toEqual(['missed 1 1', 'missed 2 2', 'missed 3 3', 'dead']);
    expect(r.deadAt()).toBe(10_100);
  });

  it('remembers a bounded number of unanswered beats, whatever the peer does', () => {
    const r = rig({ intervalMs: 10, timeoutMs: 5, misses: 1_000_000 });
    r.hb.start();
    r.clock.advance(10 * (REMEMBERED_BEATS + 50));
    r.pong(1); // forgotten: answers nothing
    r.pong(REMEMBERED_BEATS + 50); // still remembered: late
    expect(r.log.filter((l) => l.startsWith('rtt'))).toEqual([`rtt ${REMEMBERED_BEATS + 50} 10 ping late`]);
    r.hb.stop();
    expect(r.clock.pending).toBe(0);
  });
});

describe('answerMatcher', () => {
  it('matches exact text, regular expressions and JSON fields', () => {
    const any = { seq: null };
    expect(answerMatcher({ kind: 'exact', text: 'pong' })('pong')).toEqual(any);
    expect(answerMatcher({ kind: 'exact', text: 'pong' })('pong ')).toBeNull();
    expect(answerMatcher({ kind: 'regex', pattern: '^PONG \\d+$', flags: 'i' })('pong 42')).toEqual(any);
    const json = answerMatcher({ kind: 'json', path: 'data.kind', equals: 'pong' });
    expect(json('{"data":{"kind":"pong"}}')).toEqual(any);
    expect(json('{"data":{"kind":"ping"}}')).toBeNull();
    expect(json('not json')).toBeNull();
    expect(json('{"data":null}')).toBeNull();
  });

  it('reads the beat number where the rule says {seq}', () => {
    expect(answerMatcher({ kind: 'exact', text: 'pong {seq}.' })('pong 17.')).toEqual({ seq: 17 });
    expect(answerMatcher({ kind: 'exact', text: 'pong {seq}.' })('pong 17x')).toBeNull();
    expect(answerMatcher({ kind: 'regex', pattern: '"id":{seq}\\b', flags: 'u' })('{"id":5,"x":1}')).toEqual({ seq: 5 });
    const json = answerMatcher({ kind: 'json', path: 'id', equals: '{seq}' });
    expect(json('{"id":3}')).toEqual({ seq: 3 });
    expect(json('{"id":"4"}')).toEqual({ seq: 4 });
    expect(json('{"id":"four"}')).toBeNull();
  });
});
