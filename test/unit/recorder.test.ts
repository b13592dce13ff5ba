// One endpoint's events folded into what a screen shows: state, counters, history, recent events.
import { describe, expect, it } from 'vitest';
import { EndpointRecorder } from '../../src/core/record/recorder';
import { Records } from '../../src/core/record/records';
import { historyLimits } from '../../src/core/record/history';
import { stamp, type EventBody } from '../../src/shared/events';
import { BEATS_KEPT } from '../../src/shared/status';

const T0 = Date.UTC(2026, 10, 23);

function feed(r: { apply(e: ReturnType<typeof stamp>): void }, events: [number, EventBody][], id = 'a'): void {
  for (const [mono, body] of events) r.apply(stamp(body, T0 + mono, mono, id));
}

describe('EndpointRecorder', () => {
  it('follows the connection through open, an outage and a retry', () => {
    const r = new EndpointRecorder('a');
    feed(r, [
      [0, { type: 'endpoint-added', name: 'api', url: 'ws://h/' }],
      [1, { type: 'connecting', attempt: 0 }],
      [5, { type: 'open', attempt: 0, handshakeMs: 4, protocol: 'chat' }],
      [1000, { type: 'rtt', seq: 1, rttMs: 2, via: 'ping' }],
      [2000, { type: 'heartbeat-missed', seq: 2, missed: 1 }],
      [3000, { type: 'close', code: 1001, reason: 'going away', wasClean: true, initiator: 'server', uptimeMs: 2995 }],
      [3001, { type: 'reconnect-scheduled', attempt: 1, delayMs: 500 }],
    ]);
    const s = r.status(3100);
    expect(s).toMatchObject({ id: 'a', name: 'api', url: 'ws://h/', state: 'waiting', attempt: 1, retryAtMono: 3501, protocol: 'chat', downSinceMono: 3000 });
    expect(s.stats).toMatchObject({
      connects: 1,
      heartbeatsMissed: 1,
      reconnectAttempts: 1,
      disconnects: { 'server-close': 1, heartbeat: 0, network: 0, handshake: 0, client: 0 },
    });
    expect(r.history.query(0, 4000).raw).toEqual([{ t: 1000, rttMs: 2, networkMs: null }]);
    // Recent events are the non-RTT ones, in order.
    expect(r.events().map((e) => e.type)).toEqual(['endpoint-added', 'connecting', 'open', 'heartbeat-missed', 'close', 'reconnect-scheduled']);
  });

  it('an error before open counts one outage and keeps the last error; the open after it ends the outage', () => {
    const r = new EndpointRecorder('a');
    feed(r, [
      [0, { type: 'connecting', attempt: 0 }],
      [3, { type: 'error', phase: 'handshake', code: 'HTTP_503', message: 'server refused the WebSocket upgrade with HTTP 503' }],
      [4, { type: 'reconnect-scheduled', attempt: 1, delayMs: 100 }],
      [104, { type: 'connecting', attempt: 1 }],
      [105, { type: 'error', phase: 'handshake', code: 'HTTP_503', message: 'again' }],
      [106, { type: 'reconnect-scheduled', attempt: 2, delayMs: 200 }],
      [306, { type: 'connecting', attempt: 2 }],
      [310, { type: 'open', attempt: 2, handshakeMs: 4, protocol: '' }],
    ]);
    const s = r.status(400);
    expect(s.state).toBe('open');
    expect(s.downSinceMono).toBeNull();
    expect(s.lastError).toEqual({ code: 'HTTP_503', message: 'again', mono: 105 });
    expect(s.stats.disconnects.handshake).toBe(1); // one outage, however many failed retries
    expect(s.stats.reconnectAttempts).toBe(2);
  });

  it('keeps the last heartbeat outcomes as ticks: answered, slow, late (the miss it turns), missed, and each failed attempt with its cause', () => {
    const r = new EndpointRecorder('a');
    feed(r, [
      [0, { type: 'endpoint-added', name: 'api', url: 'ws://h/', alerts: { rttMs: 100, loss: 0.1, downAfterMs: 10_000 } }],
      [1, { type: 'connecting', attempt: 0 }],
      [5, { type: 'open', attempt: 0, handshakeMs: 4, protocol: '' }],
      [1000, { type: 'rtt', seq: 1, rttMs: 2, via: 'ping' }],
      [2000, { type: 'rtt', seq: 2, rttMs: 150, via: 'ping' }],
      [3500, { type: 'heartbeat-missed', seq: 3, missed: 1 }],
      [4000, { type: 'heartbeat-missed', seq: 4, missed: 2 }],
      [4200, { type: 'rtt', seq: 3, rttMs: 1700, via: 'ping', late: true }],
      [5000, { type: 'close', code: 1006, reason: '', wasClean: false, initiator: 'server', uptimeMs: 4995 }],
      [5001, { type: 'reconnect-scheduled', attempt: 1, delayMs: 500 }],
      [5501, { type: 'connecting', attempt: 1 }],
      [5502, { type: 'error', phase: 'connect', code: 'ECONNREFUSED', message: 'connection refused' }],
      [5503, { type: 'close', code: 1006, reason: '', wasClean: false, initiator: 'server', uptimeMs: 0 }],
      [5504, { type: 'gave-up', attempts: 1 }],
    ]);
    expect(r.status(6000).beats).toEqual([
      { t: 1000, kind: 'ok', rttMs: 2 },
      { t: 2000, kind: 'slow', rttMs: 150 },
      { t: 3500, kind: 'late', rttMs: 1700 },
      { t: 4000, kind: 'missed' },
      { t: 5001, kind: 'down', why: '1006 by server (not clean) · was up 5.0 s' },
      { t: 5504, kind: 'down', why: 'ECONNREFUSED during connect: connection refused; gave up' },
    ]);
  });

  it('a "down" tick says how the attempt failed without how long its phase ran, so attempts failing alike say the same', () => {
    const r = new EndpointRecorder('a');
    const refused = (t: number, attempt: number, phaseMs: number): [number, EventBody][] => [
      [t, { type: 'connecting', attempt }],
      [t + 1, { type: 'error', phase: 'connect', code: 'ECONNREFUSED', message: 'connection refused', inPhase: 'tcp', phaseMs }],
      [t + 2, { type: 'close', code: 1006, reason: '', wasClean: false, initiator: 'server', uptimeMs: 0 }],
      [t + 3, { type: 'reconnect-scheduled', attempt: attempt + 1, delayMs: 500 }],
    ];
    feed(r, [...refused(1000, 0, 0.4), ...refused(2000, 1, 1.7)]);
    const why = 'ECONNREFUSED during connect: connection refused (in tcp)';
    expect(r.status(3000).beats).toEqual([
      { t: 1003, kind: 'down', why },
      { t: 2003, kind: 'down', why },
    ]);
  });

  it("names what last took the endpoint down: a close by the server in its words, a heartbeat timeout, an error; not the user's own close", () => {
    const r = new EndpointRecorder('a');
    expect(r.status(100).lastCause).toBeNull();
    feed(r, [
      [0, { type: 'connecting', attempt: 0 }],
      [5, { type: 'open', attempt: 0, handshakeMs: 5, protocol: '' }],
      [9, { type: 'close', code: 1011, reason: 'overloaded', wasClean: true, initiator: 'server', uptimeMs: 4 }],
    ]);
    expect(r.status(100).lastCause).toBe('closed 1011 "overloaded"');
    feed(r, [[20, { type: 'close', code: 1006, reason: '', wasClean: false, initiator: 'heartbeat', uptimeMs: 4 }]]);
    expect(r.status(100).lastCause).toBe('heartbeat timeout');
    feed(r, [
      [30, { type: 'error', phase: 'handshake', code: 'HTTP_503', message: 'x' }],
      [40, { type: 'close', code: 1000, reason: '', wasClean: true, initiator: 'client', uptimeMs: 4 }],
    ]);
    expect(r.status(100).lastCause).toBe('HTTP 503');
  });

  it('keeps at most BEATS_KEPT ticks however long the session', () => {
    const r = new EndpointRecorder('a');
    feed(
      r,
      Array.from({ length: BEATS_KEPT * 3 }, (_, i): [number, EventBody] => [i * 1000, { type: 'rtt', seq: i + 1, rttMs: i, via: 'ping' }]),
    );
    const beats = r.status(1e6).beats;
    expect(beats).toHaveLength(BEATS_KEPT);
    expect(beats).toEqual(Array.from({ length: BEATS_KEPT }, (_, k) => ({ t: (BEATS_KEPT * 2 + k) * 1000, kind: 'ok', rttMs: BEATS_KEPT * 2 + k })));
  });

  it('once the ticks have come round, a late answer still finds its miss, and a cause leaves with its beat', () => {
    const r = new EndpointRecorder('a');
    const rtt = (t: number, seq: number): [number, EventBody] => [t, { type: 'rtt', seq, rttMs: 1, via: 'ping' }];
    feed(r, [
      [0, { type: 'connecting', attempt: 0 }],
      [1, { type: 'error', phase: 'connect', code: 'ECONNREFUSED', message: 'refused' }],
      [2, { type: 'reconnect-scheduled', attempt: 1, delayMs: 10 }],
      [12, { type: 'connecting', attempt: 1 }],
      [13, { type: 'open', attempt: 1, handshakeMs: 1, protocol: '' }],
      ...Array.from({ length: BEATS_KEPT + 3 }, (_, i) => rtt(100 + i, i + 1)),
      [500, { type: 'heartbeat-missed', seq: 99, missed: 1 }],
      rtt(600, 100),
      [700, { type: 'rtt', seq: 99, rttMs: 250, via: 'ping', late: true }],
    ]);
    const beats = r.status(1000).beats;
    expect(beats).toHaveLength(BEATS_KEPT);
    // The down beat has given way, its cause with it: no tick carries a why.
    expect(beats.filter((b) => 'why' in b)).toEqual([]);
    expect(beats.at(-2)).toEqual({ t: 500, kind: 'late', rttMs: 250 });
    expect(beats.at(-1)).toEqual({ t: 600, kind: 'ok', rttMs: 1 });
    expect(beats[0]).toEqual({ t: 100 + 5, kind: 'ok', rttMs: 1 });
  });

  it('a pause holds its state against the old socket closing, and says who paused', () => {
    const r = new EndpointRecorder('a');
    feed(r, [
      [0, { type: 'open', attempt: 0, handshakeMs: 1, protocol: '' }],
      [10, { type: 'paused', by: 'system-sleep' }],
      [11, { type: 'close', code: 1000, reason: '', wasClean: true, initiator: 'client', uptimeMs: 11 }],
    ]);
    expect(r.status(20)).toMatchObject({ state: 'paused', pausedBy: 'system-sleep' });
  });
});

describe('Records', () => {
  it('keeps one recorder per endpoint from an event stream, and reads the time from its source', () => {
    const records = new Records({ startWall: T0, now: () => 500 });
    feed(records, [[0, { type: 'open', attempt: 0, handshakeMs: 1, protocol: '' }]], 'a');
    feed(records, [[1, { type: 'connecting', attempt: 0 }]], 'b');
    feed(records, [[2, { type: 'session-end', app: 'wsmon', version: '0' }]], undefined);
    expect(records.ids()).toEqual(['a', 'b']);
    expect(records.list().map((s) => [s.id, s.state])).toEqual([
      ['a', 'open'],
      ['b', 'connecting'],
    ]);
    expect(records.status('a').stats.uptime).toBe(1);
    expect(() => records.recorder('zz')).toThrow('no endpoint with id "zz"');
  });

  it('resizes every endpoint’s history a slice at a time, the event loop turning between slices; endpoints added later take the new size', async () => {
    const records = new Records({ startWall: T0, now: () => 0 });
    const ids = ['a', 'b', 'c'];
    for (const id of ids)
      feed(
        records,
        [
          [0, { type: 'connecting', attempt: 0 }],
          [5, { type: 'reconnect-scheduled', attempt: 1, delayMs: 10 }],
        ],
        id,
      );
    const small = historyLimits(7);
    // Slices of no time at all: one endpoint, then the loop turns.
    const done = records.resizeHistories(small, 0);
    expect(ids.map((id) => records.recorder(id).history.limits === small)).toEqual([true, false, false]);
    await done;
    for (const id of ids) {
      expect(records.recorder(id).history.limits).toBe(small);
      expect(records.recorder(id).history.query(-Infinity, Infinity).buckets[0]).toMatchObject({ attempts: 1 });
    }
    feed(records, [[9, { type: 'connecting', attempt: 0 }]], 'later');
    expect(records.recorder('later').history.limits).toBe(small);
  });

  it('following a monitor, forgets an endpoint once it is removed', () => {
    const listeners: ((e: ReturnType<typeof stamp>) => void)[] = [];
    const source = { startWall: T0, now: () => 0, on: (l: (e: ReturnType<typeof stamp>) => void) => (listeners.push(l), () => {}) };
    const records = Records.follow(source);
    const emit = (body: EventBody) => listeners.forEach((l) => l(stamp(body, T0, 0, 'a')));
    emit({ type: 'endpoint-added', name: 'a', url: 'ws://h/' });
    expect(records.has('a')).toBe(true);
    emit({ type: 'endpoint-removed', name: 'a', url: 'ws://h/' });
    expect(records.has('a')).toBe(false);
  });
});
