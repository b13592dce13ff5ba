// The one health model: every state, its cause in words, the summary and the order problems sort in.
import { describe, expect, it } from 'vitest';
import { TRAY_ENDPOINTS, TRAY_GROUPS, trayChanged, trayModel } from '../../src/core/app/tray-model';
import { bySeverity, healthOf, healthSummary } from '../../src/shared/health';
import { OUTAGES_KEPT, type EndpointStatus } from '../../src/shared/status';
import { judged, status } from '../helpers/status';
import { DEFAULTS } from '../../src/shared/config';

const NOW = 400_000;
const verdict = (s: EndpointStatus) => healthOf(s, NOW);

describe('health', () => {
  it('up: open within its thresholds, with its RTT', () => {
    expect(verdict(status('a', 'open', { rtt: 12.34 }))).toEqual({ health: 'up', cause: '12.3 ms' });
    expect(verdict(status('a', 'open'))).toEqual({ health: 'up', cause: 'open' });
  });

  it('degraded: slow, lossy, stale or flapping, each in words', () => {
    expect(verdict(status('a', 'open', { rtt: 1200 }))).toEqual({ health: 'degraded', cause: 'RTT 1200 ms > 1000 ms' });
    expect(verdict(status('a', 'open', { rtt: 5, loss: 0.23 }))).toEqual({ health: 'degraded', cause: 'loss 23.0 %' });
    expect(verdict(status('a', 'open', { rtt: 5, staleSince: NOW - 12_000 }))).toEqual({ health: 'degraded', cause: 'stale 12 s: no data' });
    expect(verdict(status('a', 'open', { rtt: 5, outages: [NOW - 200_000, NOW - 100_000, NOW - 8_000] }))).toEqual({
      health: 'degraded',
      cause: 'flapping: 3 outages in 5 min',
    });
    // Only the last OUTAGES_KEPT starts are kept: at that many there may have been more, and the words say so.
    const many = Array.from({ length: OUTAGES_KEPT }, (_, i) => NOW - 4_000 * (i + 1));
    expect(verdict(status('a', 'open', { rtt: 5, outages: many }))).toEqual({
      health: 'degraded',
      cause: `flapping: ${OUTAGES_KEPT} or more outages in 5 min`,
    });
    // Below the bound the count is the real one: 13 outages are 13, not "8 or more".
    expect(verdict(status('a', 'open', { rtt: 5, outages: many.slice(0, 13) })).cause).toBe('flapping: 13 outages in 5 min');
    // Outages older than the window do not count.
    expect(verdict(status('a', 'open', { rtt: 5, outages: [NOW - 900_000, NOW - 100_000, NOW - 8_000] })).health).toBe('up');
  });

  it('retrying: an outage shorter than downAfter, with the error', () => {
    expect(verdict(status('a', 'waiting', { downSince: NOW - 5_000, error: 'HTTP_503' }))).toEqual({ health: 'retrying', cause: 'HTTP 503' });
    expect(verdict(status('a', 'connecting', { connects: 0, since: NOW - 1_000 }))).toEqual({ health: 'retrying', cause: 'connecting' });
  });

  it('down: an outage of downAfter or longer, or gave up; never-opened endpoints count from their first try', () => {
    expect(verdict(status('a', 'waiting', { downSince: NOW - 302_000, error: 'HTTP_503' }))).toEqual({ health: 'down', cause: 'HTTP 503 · down 5 min 2 s' });
    expect(verdict(status('a', 'waiting', { connects: 0, since: NOW - 60_000, error: 'ECONNREFUSED' }))).toEqual({
      health: 'down',
      cause: 'ECONNREFUSED · down 1 min 0 s',
    });
    expect(verdict(status('a', 'gave-up', { attempt: 7, error: 'ECONNREFUSED' }))).toEqual({
      health: 'down',
      cause: 'ECONNREFUSED · gave up after 7 attempts',
    });
    // A server that accepts and closes with a code: down names the close, in its words (a control character escaped).
    expect(verdict(status('a', 'waiting', { downSince: NOW - 10_000, cause: 'closed 1011 "overloaded\u001b"' }))).toEqual({
      health: 'down',
      cause: 'closed 1011 "overloaded\\x1b" · down 10 s',
    });
  });

  it('paused: paused, disconnected by the user, or not started', () => {
    expect(verdict(status('a', 'paused')).health).toBe('paused');
    expect(verdict(status('a', 'stopped'))).toEqual({ health: 'paused', cause: 'disconnected by you' });
    expect(verdict(status('a', 'idle'))).toEqual({ health: 'paused', cause: 'not started' });
    expect(verdict({ ...status('a', 'stopped'), removed: true })).toEqual({ health: 'paused', cause: 'removed' });
  });

  it('summarises worst first after the ups, and sorts problems first keeping the order within a state', () => {
    const list = [
      { health: 'up' as const, n: 1 },
      { health: 'down' as const, n: 2 },
      { health: 'degraded' as const, n: 3 },
      { health: 'up' as const, n: 4 },
      { health: 'down' as const, n: 5 },
    ];
    expect(healthSummary(list)).toBe('2 up · 2 down · 1 degraded');
    expect(bySeverity(list).map((x) => x.n)).toEqual([2, 5, 3, 1, 4]);
    expect(healthSummary([])).toBe('No endpoints');
  });
});

describe('tray model (from the health model)', () => {
  const model = (list: EndpointStatus[]) =>
    trayModel(
      list.map((s) => judged(s, NOW)),
      NOW,
    );

  it('idle with no endpoints', () => {
    expect(model([])).toEqual({ state: 'idle', tooltip: 'wsmon · no endpoints', summary: 'No endpoints', groups: [], items: [], more: null });
  });

  it("shows each tag's group, worst first, with its worst health and its counts", () => {
    const m = model([
      status('api-eu', 'open', { rtt: 40, tags: ['prod', 'eu'] }),
      status('api-us', 'waiting', { downSince: NOW - 600_000, error: 'ECONNREFUSED', tags: ['prod', 'us'] }),
      status('staging', 'open', { rtt: 9, tags: ['staging'] }),
      status('untagged', 'open', { rtt: 9 }),
    ]);
    expect(m.groups).toEqual([
      { tag: 'prod', label: 'prod — 1 up · 1 down', health: 'down' },
      { tag: 'us', label: 'us — 1 down', health: 'down' },
      { tag: 'eu', label: 'eu — 1 up', health: 'up' },
      { tag: 'staging', label: 'staging — 1 up', health: 'up' },
    ]);
  });

  it('up when every endpoint is up', () => {
    const m = model([status('api', 'open', { rtt: 40 }), status('feed', 'open', { rtt: 182 })]);
    expect(m).toMatchObject({ state: 'up', tooltip: '2 up · worst RTT 182 ms' });
    expect(m.items).toEqual([
      { id: 'api', label: 'api — 40.0 ms', health: 'up' },
      { id: 'feed', label: 'feed — 182 ms', health: 'up' },
    ]);
  });

  it('a retry within the grace period shows as degraded, its words say retrying; down outranks it', () => {
    expect(model([status('api', 'open', { rtt: 40 }), status('api-eu', 'waiting', { downSince: NOW - 5_000, error: 'ECONNRESET' })])).toMatchObject({
      state: 'degraded',
      tooltip: '1 up · 1 retrying · worst RTT 40 ms · api-eu ECONNRESET',
    });
    expect(model([status('slow', 'open', { rtt: 5000 }), status('db', 'gave-up', { attempt: 3 })])).toMatchObject({
      state: 'down',
      tooltip: '1 down · 1 degraded · worst RTT 5000 ms · db gave up after 3 attempts · slow RTT 5000 ms > 1000 ms',
    });
  });

  it('paused when every endpoint is paused or stopped; paused ones do not drag the rest down', () => {
    expect(model([status('a', 'paused'), status('b', 'stopped')])).toMatchObject({ state: 'paused', tooltip: '2 paused' });
    expect(model([status('a', 'paused'), status('b', 'open', { rtt: 3 })]).state).toBe('up');
  });

  it('names at most three troubled endpoints, worst first', () => {
    const list = ['a', 'b', 'c', 'd', 'e'].map((n) => status(n, 'gave-up', { attempt: 1 }));
    expect(model(list).tooltip).toBe('5 down · a gave up after 1 attempt · b gave up after 1 attempt · c gave up after 1 attempt · 2 more');
  });

  it('at 10,000 endpoints under 500 tags, names the troubled ones first and says what the menu leaves out', () => {
    const list = Array.from({ length: 10_000 }, (_, i) =>
      i === 7_777 ? status(`svc-${i}`, 'gave-up', { attempt: 2, tags: ['t-7'] }) : status(`svc-${i}`, 'open', { rtt: 5, tags: [`t-${i % 500}`] }),
    );
    const m = model(list);
    expect(m.state).toBe('down');
    expect(m.summary).toBe('9999 up · 1 down');
    expect(m.items).toHaveLength(TRAY_ENDPOINTS);
    expect(m.items[0]).toEqual({ id: 'svc-7777', label: 'svc-7777 — gave up after 2 attempts', health: 'down' });
    expect(m.items[1]!.id).toBe('svc-0'); // then in their order
    expect(m.groups).toHaveLength(TRAY_GROUPS);
    expect(m.groups[0]).toEqual({ tag: 't-7', label: 't-7 — 20 up · 1 down', health: 'down' });
    expect(m.more).toBe(`${(10_000 - TRAY_ENDPOINTS).toLocaleString('en')} more endpoints and ${500 - TRAY_GROUPS} more groups: Show window`);
    // Up to the bounds, everything is named and nothing is said to be left out.
    expect(model(list.slice(0, TRAY_GROUPS)).more).toBeNull();
  });

  it('tells when the tray needs touching', () => {
    const m = model([status('a', 'open', { rtt: 3 })]);
    expect(trayChanged(null, m)).toBe(true);
    expect(trayChanged(m, model([status('a', 'open', { rtt: 3 })]))).toBe(false);
    expect(trayChanged(m, model([status('a', 'open', { rtt: 4 })]))).toBe(true);
  });
});

describe('which side a slow RTT is on', () => {
  const slow = (rtt: number, network: number | null, toProxy = false, rttMs = 1000, rttVarMs = 1) =>
    healthOf(
      { ...status('a', 'open', { rtt, network: network === null ? null : { rttMs: network, rttVarMs, toProxy } }), alerts: { ...DEFAULTS.alerts, rttMs } },
      NOW,
    );

  it('the server, when its share is past the threshold even if the path were as slow as the network RTT and its variation allow', () => {
    expect(slow(1230, 3)).toEqual({ health: 'degraded', cause: 'RTT 1230 ms > 1000 ms (network 3.0 ms): the server is slow to answer', slow: 'server' });
    // A path that just became slow: the smoothed figure lags it, and its variation says how far it may.
    expect(slow(1300, 40, false, 1000, 100)).toMatchObject({ slow: 'unclear' });
  });

  it('the path, only when it is past the threshold by more than a held-back ACK could add', () => {
    expect(slow(1230, 1226)).toMatchObject({ cause: 'RTT 1230 ms > 1000 ms (network 1226 ms): the path is slow', slow: 'path' });
    expect(slow(2500, 1250)).toMatchObject({ cause: 'RTT 2500 ms > 1000 ms (network 1250 ms): the path and the server are both slow', slow: 'both' });
  });

  it('together when neither can be past it alone; unclear when a held-back ACK could hide which one is', () => {
    expect(slow(1100, 600)).toMatchObject({ cause: 'RTT 1100 ms > 1000 ms (network 600 ms): the path and the server together', slow: 'together' });
    // 60 ms of network RTT could be a 60 ms path, or a near path and a server that held its ACK 60 ms of its 150.
    expect(slow(150, 60, false, 100)).toMatchObject({ slow: 'unclear' });
    expect(slow(1100, 1098)).toMatchObject({
      cause: 'RTT 1100 ms > 1000 ms (network 1098 ms): the path or the server: the network RTT cannot tell which',
      slow: 'unclear',
    });
  });

  it('through a proxy the kernel sees the hop to it only, and the words say so', () => {
    expect(slow(1230, 3, true).cause).toBe('RTT 1230 ms > 1000 ms (network to proxy 3.0 ms): the server or the path beyond the proxy is slow');
    expect(slow(1500, 1300, true).cause).toBe('RTT 1500 ms > 1000 ms (network to proxy 1300 ms): the path to the proxy is slow');
  });

  it('without a reading nothing is said of the side: never a guess', () => {
    expect(slow(1230, null)).toEqual({ health: 'degraded', cause: 'RTT 1230 ms > 1000 ms' });
    expect(slow(12, 3)).toEqual({ health: 'up', cause: '12.0 ms' });
  });
});
