// The renderer's pure parts: the form <-> settings mapping, chart data, the heartbeat bar.
import { describe, expect, it } from 'vitest';
import { pullEvery, windowFor } from '../../src/renderer/src/lib/ranges';
import { beatSpans, beatSummary, downShare } from '../../src/renderer/src/lib/beats';
import type { BeatTick } from '../../src/shared/status';
import { emptyFields, fieldsFrom, readFields } from '../../src/renderer/src/lib/form';
import { round3 } from '../../src/shared/format';
import {
  attemptPoints,
  CELL_STATES,
  disconnectBins,
  isLone,
  LOSS_STEPS,
  lossStep,
  overviewCells,
  rttData,
  spreadPoints,
  spreadWords,
  uptime,
  type ChartSource,
} from '../../src/shared/chart-data';
import type { HistoryAnswer } from '../../src/shared/api';
import { endpointConfigSchema, type EndpointConfig } from '../../src/shared/config';
import { stamp, type EventBody } from '../../src/shared/events';

describe('endpoint form', () => {
  it('starts from the defaults, which are valid once a URL is given', () => {
    const f = emptyFields();
    expect(readFields(f).errors).toEqual({ url: 'URL is required' });
    expect(readFields({ ...f, url: 'ws://127.0.0.1:1/' }).errors).toEqual({});
  });

  it('puts each problem next to the field it belongs to, in plain words', () => {
    const f = {
      ...emptyFields(),
      url: 'http://x/',
      'heartbeat.intervalMs': 'soon',
      'heartbeat.misses': '0',
      'backoff.multiplier': 'two',
      headers: 'no colon here',
      protocols: 'a b',
      'heartbeat.match': '/(/',
    };
    expect(readFields(f).errors).toEqual({
      url: 'URL must start with ws:// or wss:// (this one starts with http://)',
      'heartbeat.intervalMs': 'Interval must be a duration such as 250ms, 5s or 2m',
      'heartbeat.misses': 'misses before dead must be at least 1',
      'backoff.multiplier': 'Multiplier must be a number',
      headers: 'Headers must be "Name: value" (got "no colon here")',
      protocols: 'a subprotocol is a single token without spaces',
      'heartbeat.match': expect.stringMatching(/^invalid regular expression/),
    });
  });

  it('round-trips every setting through the fields', () => {
    const cfg = {
      ...endpointConfigSchema.parse({
        url: 'wss://feed.example/v1',
        name: 'feed',
        headers: { Authorization: 'Bearer x' },
        protocols: ['v1.feed', 'json'],
        rejectUnauthorized: false,
        caFile: '/etc/ca.pem',
        maxPayload: 4096,
        connectTimeoutMs: 2500,
        heartbeat: {
          mode: 'message',
          intervalMs: 1500,
          timeoutMs: 700,
          misses: 3,
          payload: '{"op":"ping","n":{seq}}',
          match: { kind: 'json', path: 'op', equals: 'pong' },
        },
        backoff: { initialMs: 250, multiplier: 1.5, maxMs: 60_000, jitter: 'decorrelated', maxAttempts: 7, resetAfterMs: 30_000 },
        alerts: { rttMs: 250, loss: 0.02, downAfterMs: 30_000 },
      }),
      id: 'feed',
      name: 'feed',
    } as EndpointConfig;
    const { input, errors } = readFields(fieldsFrom(cfg));
    expect(errors).toEqual({});
    const { id: _id, ...rest } = cfg;
    expect(endpointConfigSchema.parse(input)).toEqual(rest);
  });

  it('round-trips each application protocol’s options and the building blocks through the fields', () => {
    const protocols = [
      { name: 'socketio', namespace: '/admin', auth: { token: 't' } },
      { name: 'graphql-ws', payload: { Authorization: 'x' } },
      { name: 'mqtt', version: 5, clientId: 'probe-1', keepaliveS: 30, username: 'u', password: 'p' },
      { name: 'stomp', host: 'vhost', login: 'u', passcode: 'p', heartBeatMs: 10_000 },
      { name: 'json-rpc', method: 'eth_blockNumber', params: [] },
    ] as const;
    for (const appProtocol of protocols) {
      const cfg = {
        ...endpointConfigSchema.parse({
          url: 'ws://h/x',
          appProtocol,
          onOpen: { send: ['hello', 'hex:c000'], ack: { kind: 'exact', text: 'welcome' }, refuse: { kind: 'regex', pattern: '^error', flags: 'i' } },
          replies: [{ match: { kind: 'json', path: 'type', equals: 'ping' }, send: '{"type":"pong"}' }],
          freshness: { everyMs: 30_000, match: { kind: 'regex', pattern: 'tick', flags: '' } },
        }),
        id: 'x',
        name: 'x',
      } as EndpointConfig;
      const { input, errors } = readFields(fieldsFrom(cfg));
      expect(errors, appProtocol.name).toEqual({});
      const { id: _id, ...rest } = cfg;
      expect(endpointConfigSchema.parse(input), appProtocol.name).toEqual(rest);
    }
  });

  it('names the field of a protocol option the schema refuses', () => {
    const f = { ...emptyFields(), url: 'ws://h/', 'appProtocol.name': 'json-rpc', 'appProtocol.params': '{oops', replies: 'no arrow here' };
    const { errors } = readFields(f);
    expect(errors).toMatchObject({
      'appProtocol.method': expect.stringMatching(/needs a method/),
      'appProtocol.params': expect.stringMatching(/must be JSON/),
      replies: expect.stringMatching(/RULE => PAYLOAD/),
    });
  });
});

describe('chart data', () => {
  const ev = (mono: number, body: EventBody) => stamp(body, 0, mono, 'a');
  const bucket = (t: number, over: Partial<HistoryAnswer['buckets'][number]> = {}) => ({
    t,
    spanMs: 60_000,
    count: 10,
    minMs: 5,
    maxMs: 50,
    meanMs: 20,
    p10Ms: 8,
    medianMs: 18,
    p90Ms: 40,
    missed: 0,
    attempts: 0,
    disconnects: { 'server-close': 0, heartbeat: 0, network: 0, handshake: 0 },
    networkMeanMs: null,
    ...over,
  });
  const answer: ChartSource = {
    raw: [
      { t: 180_000, rttMs: 11, networkMs: null },
      { t: 181_000, rttMs: 12, networkMs: null },
    ],
    buckets: [bucket(0, { disconnects: { 'server-close': 0, heartbeat: 2, network: 0, handshake: 0 } }), bucket(60_000), bucket(120_000), bucket(180_000)],
    states: [],
    events: [
      ev(150_000, { type: 'close', code: 1006, reason: '', wasClean: false, initiator: 'server', uptimeMs: 5 }),
      ev(150_001, { type: 'reconnect-scheduled', attempt: 1, delayMs: 800 }),
      ev(151_000, { type: 'error', phase: 'connect', code: 'ECONNREFUSED', message: 'x' }), // same outage: not another disconnect
      ev(160_000, { type: 'open', attempt: 1, handshakeMs: 1, protocol: '' }),
      ev(170_000, { type: 'close', code: 1000, reason: '', wasClean: true, initiator: 'client', uptimeMs: 5 }),
      ev(175_000, { type: 'error', phase: 'handshake', code: 'HTTP_503', message: 'x' }),
    ],
  };
  const wall = (m: number) => 1_000_000 + m;

  it('draws raw samples where held, every bucket’s median, spread and loss, and marks each outage once and not the user’s closes', () => {
    const d = rttData(answer, wall);
    expect(d.raw).toEqual([
      { x: 1_180_000, y: 11 },
      { x: 1_181_000, y: 12 },
    ]);
    // Every bucket, the one the raw samples cover too (its smoke stands behind them).
    expect(d.spread.map((p) => p.x)).toEqual([1_000_000, 1_060_000, 1_060_000, 1_120_000, 1_120_000, 1_180_000, 1_180_000, 1_240_000]);
    expect(d.spread[0]).toEqual({ x: 1_000_000, y: 18, p10: 8, p90: 40, min: 5, max: 50, loss: 0, missed: 0, beats: 10 });
    expect(spreadWords(d.spread[0]!)).toEqual(['median 18.00 ms', 'p10–p90 8.00 ms – 40.00 ms', 'min–max 5.00 ms – 50.00 ms', 'loss 0 % (0 of 10 beats)']);
    expect(d.marks.network).toEqual([{ x: 1_150_000, y: 0 }]);
    expect(d.marks.handshake).toEqual([{ x: 1_175_000, y: 0 }]);
    expect(d.marks['server-close']).toEqual([]);
  });

  it('spread points break where time has no bucket, and their loss picks a step of the stated scale', () => {
    const h = { buckets: [bucket(0, { missed: 1 }), bucket(60_000, { count: 0, missed: 0 }), bucket(120_000, { count: 5, missed: 5 }), bucket(300_000)] };
    const points = spreadPoints(h, wall);
    // A step per bucket; the empty minute and the two missing ones each break the line once.
    expect(points.map((p) => p.y)).toEqual([18, 18, null, 18, 18, null, 18, 18]);
    expect(points.map((p) => p.x)).toEqual([1_000_000, 1_060_000, 1_060_000, 1_120_000, 1_180_000, 1_180_000, 1_300_000, 1_360_000]);
    expect(points.map((p) => lossStep(p.loss))).toEqual([2, 2, 0, 3, 3, 0, 0, 0]);
    expect([0, 0.001, 0.049, 0.05, 0.19, 0.2, 1].map(lossStep)).toEqual([0, 1, 1, 2, 2, 3, 3]);
    expect(LOSS_STEPS.map((s) => s.label)).toEqual(['no loss', 'under 5 %', '5–20 %', '20 % or more']);
  });

  it('bins disconnects by cause from buckets where events no longer reach, from events after', () => {
    const bins = disconnectBins(answer, 0, 240_000, 4, wall);
    expect(bins.heartbeat.map((b) => b.y)).toEqual([2, 0, 0, 0]);
    expect(bins.network.map((b) => b.y)).toEqual([0, 0, 1, 0]);
    expect(bins.handshake.map((b) => b.y)).toEqual([0, 0, 1, 0]);
    expect(bins.network.map((b) => b.x)).toEqual([1_030_000, 1_090_000, 1_150_000, 1_210_000]);
  });

  it('overview cells: median and p90 per span from buckets then raw samples, misses from buckets then events, the most telling state per span', () => {
    const h: ChartSource = {
      ...answer,
      buckets: [bucket(0, { missed: 3 }), bucket(60_000), bucket(120_000), bucket(180_000)],
      events: [...answer.events, ev(200_000, { type: 'heartbeat-missed', seq: 9, missed: 1 })],
      states: [
        { from: 0, to: 150_000, state: 'open' },
        { from: 150_000, to: 150_500, state: 'waiting' },
        { from: 150_500, to: 160_000, state: 'connecting' },
        { from: 160_000, to: 170_000, state: 'open' },
        { from: 170_000, to: 240_000, state: 'paused' },
      ],
    };
    const c = overviewCells(h, 0, 240_000, 4);
    // 180 s onwards: the two raw samples (11, 12); before, the buckets' medians and p90s (the 180 s bucket is where raw samples are).
    expect(c.rttMs).toEqual([18, 18, 18, 11]);
    expect(c.p90Ms).toEqual([40, 40, 40, 12]);
    expect(c.answered).toEqual([10, 10, 10, 2]);
    expect(c.missed).toEqual([3, 0, 0, 1]);
    // A span holding a bucket and raw samples: the samples' own percentiles and the bucket's, averaged by samples.
    const halves = overviewCells(h, 0, 240_000, 2);
    expect(halves.rttMs).toEqual([18, round3((11 * 2 + 18 * 10) / 12)]);
    expect(halves.p90Ms).toEqual([40, round3((12 * 2 + 40 * 10) / 12)]);
    expect(halves.answered).toEqual([20, 12]);
    // A half-second outage still marks its whole span; a span spent paused is "off".
    expect([...c.states].map((d) => CELL_STATES[Number(d)])).toEqual(['up', 'up', 'outage', 'off']);
  });

  it('a lone sample (alone, or between two breaks) is one the line cannot show', () => {
    const line = [{ y: 1 }, { y: null }, { y: 2 }, { y: null }, { y: 3 }, { y: 4 }];
    expect(line.map((_, i) => isLone(line, i))).toEqual([true, false, true, false, false, false]);
    expect(isLone([{ y: 5 }], 0)).toBe(true);
  });

  it('uptime: open time over monitored time; paused, stopped and idle time are not monitored', () => {
    expect(
      uptime([
        { from: 0, to: 600, state: 'open' },
        { from: 600, to: 700, state: 'waiting' },
        { from: 700, to: 800, state: 'connecting' },
        { from: 800, to: 5000, state: 'stopped' }, // wsmon was not running
        { from: 5000, to: 5200, state: 'open' },
      ]),
    ).toBe(0.8);
    expect(uptime([{ from: 0, to: 10, state: 'paused' }])).toBeNull();
  });

  it('places each reconnect attempt at its time with its delay', () => {
    expect(attemptPoints(answer, wall)).toEqual([{ x: 1_150_001, y: 800, attempt: 1 }]);
  });
});

describe('heartbeat bar', () => {
  const tick = (t: number, kind: BeatTick['kind']): BeatTick => ({ t, kind });
  it('lays ticks out by time: a long outage with two failed attempts is as wide as it lasted, and the words say so', () => {
    // Nine answers a second apart, then down for 90 s (two attempts), then answers again.
    const beats = [...Array.from({ length: 9 }, (_, i) => tick(i * 1000, 'ok')), tick(9_000, 'down'), tick(50_000, 'down'), tick(99_000, 'ok')];
    const spans = beatSpans(beats, 100_000);
    expect(spans[0]).toEqual({ from: 0, to: 0.01 });
    expect(downShare(beats, 100_000)).toBeCloseTo(0.9, 5);
    expect(beatSummary(beats, 100_000)).toBe('10 answered, 2 failed connections; down 90 % of that time');
  });
});

describe('time ranges', () => {
  const DAY = 86_400_000;
  it('reach back as far as the records do, never further: 90 days of a history that begins 30 days ago show 30', () => {
    expect(windowFor('90d', 1000 * 60_000, -30 * DAY)).toEqual({ from: -30 * DAY, to: 1000 * 60_000 });
    expect(windowFor('7d', 1000 * 60_000, -30 * DAY)).toEqual({ from: 1000 * 60_000 - 7 * DAY, to: 1000 * 60_000 });
    expect(windowFor('session', 5 * DAY, -30 * DAY)).toEqual({ from: 0, to: 5 * DAY });
  });

  it('a following chart pulls a long range less often: a minute of range per pixel of a wide chart, 1 s to 1 min apart', () => {
    expect(pullEvery({ from: 0, to: 5 * 60_000 }, 1000)).toBe(1000);
    expect(pullEvery({ from: 0, to: 3_600_000 }, 1000)).toBe(2500);
    expect(pullEvery({ from: 0, to: DAY }, 1000)).toBe(60_000);
    expect(pullEvery({ from: 0, to: 90 * DAY }, 1000)).toBe(60_000);
  });
});
