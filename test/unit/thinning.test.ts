import { describe, expect, it } from 'vitest';
import { rttThinner } from '../../src/core/log/thinning';
import { stamp, type EventBody, type EventOf, type WsmonEvent } from '../../src/shared/events';

const ev = (mono: number, body: EventBody, endpoint?: string) => stamp(body, Date.UTC(2026, 0, 1) + mono, mono, endpoint);
const rtt = (mono: number, seq: number, rttMs: number, endpoint = 'a') => ev(mono, { type: 'rtt', seq, rttMs, via: 'ping' }, endpoint);

describe('rtt thinning for the session log', () => {
  it('keeps everything in "all" mode', () => {
    const thin = rttThinner('all');
    const e = rtt(1, 1, 5);
    expect(thin(e)).toEqual([e]);
  });

  it('folds a minute of RTT into one summary per endpoint, keeps every state change, in time order', () => {
    const thin = rttThinner('minute');
    const out: WsmonEvent[] = [];
    const feed = (e: WsmonEvent) => out.push(...thin(e));
    feed(ev(0, { type: 'open', attempt: 0, handshakeMs: 3, protocol: '' }, 'a'));
    for (let s = 1; s <= 59; s++) feed(rtt(s * 1000, s, s % 2 ? 10 : 20));
    feed(rtt(1500, 1, 7, 'b'));
    feed(rtt(61_000, 60, 30)); // a new minute for a: a's first minute is written
    feed(ev(62_000, { type: 'close', code: 1006, reason: '', wasClean: false, initiator: 'server', uptimeMs: 62_000 }, 'a'));
    feed(ev(63_000, { type: 'session-end', app: 'wsmon', version: '0' }));
    expect(out.map((e) => [e.type, e.endpoint ?? '-', e.type === 'rtt' ? [e.samples, e.rttMs, e.minMs, e.maxMs] : null])).toEqual([
      ['open', 'a', null],
      ['rtt', 'a', [59, 10 + (10 * 29) / 59, 10, 20].map((v, i) => (i === 1 ? Math.round((v as number) * 1000) / 1000 : v))],
      ['rtt', 'a', [1, 30, 30, 30]],
      ['close', 'a', null],
      ['rtt', 'b', [1, 7, 7, 7]],
      ['session-end', '-', null],
    ]);
  });
});

describe('network RTT in a thinned log', () => {
  it("the summary carries the mean of the minute's network RTTs, null where none was read, nothing where none was sampled", () => {
    const thin = rttThinner('minute');
    const net = (mono: number, seq: number, networkRttMs: number | null, endpoint: string) =>
      ev(mono, { type: 'rtt', seq, rttMs: 10, via: 'ping', networkRttMs, networkRttVarMs: networkRttMs === null ? null : 1 }, endpoint);
    for (const e of [net(1000, 1, 2, 'a'), net(2000, 2, null, 'a'), net(3000, 3, 5, 'a'), net(1000, 1, null, 'b'), rtt(1000, 1, 10, 'c')]) thin(e);
    const out = thin.flush() as EventOf<'rtt'>[];
    expect(Object.fromEntries(out.map((e) => [e.endpoint, e.networkRttMs]))).toEqual({ a: 3.5, b: null, c: undefined });
  });
});
