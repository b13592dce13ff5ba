import { describe, expect, it } from 'vitest';
import { trayChanged, trayModel } from '../../src/core/app/tray-model';
import { DEFAULTS } from '../../src/shared/config';
import type { ConnState, EndpointStatus } from '../../src/shared/status';

function status(name: string, state: ConnState, over: { rtt?: number | null; loss?: number | null; downSince?: number | null; attempt?: number } = {}): EndpointStatus {
  return {
    id: name, name, url: `ws://h/${name}`, state, pausedBy: state === 'paused' ? 'user' : null, attempt: over.attempt ?? 0,
    retryAtMono: null, sinceMono: 0, downSinceMono: over.downSince ?? null, staleSinceMono: null, protocol: '', appProtocol: null, negotiated: null, lastError: null,
    stats: {
      rtt: { lastMs: over.rtt ?? null, minMs: null, meanMs: null, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null, jitterMs: null, samples: 0 },
      heartbeatsAnswered: 0, heartbeatsLate: 0,
    silences: 0,
    heartbeatsMissed: 0, loss: over.loss ?? null, uptime: null, connectedMs: 0, connects: 0,
      disconnects: { 'server-close': 0, heartbeat: 0, network: 0, handshake: 0, client: 0 }, reconnectAttempts: 0,
    },
  };
}
const a = DEFAULTS.alerts;
const model = (list: EndpointStatus[], now = 60_000) => trayModel(list.map((s) => ({ status: s, alerts: a })), now);

describe('tray model', () => {
  it('idle with no endpoints', () => {
    expect(model([])).toEqual({ state: 'idle', tooltip: 'wsmon · no endpoints', summary: 'No endpoints', items: [] });
  });

  it('up when every endpoint is open and within its thresholds', () => {
    const m = model([status('api', 'open', { rtt: 40 }), status('feed', 'open', { rtt: 182 })]);
    expect(m.state).toBe('up');
    expect(m.tooltip).toBe('2/2 up · worst RTT 182 ms');
    expect(m.items).toEqual([
      { id: 'api', label: 'api — 40 ms', state: 'up' },
      { id: 'feed', label: 'feed — 182 ms', state: 'up' },
    ]);
  });

  it('degraded when one retries within the grace period, is slow, or loses heartbeats', () => {
    expect(model([status('api', 'open', { rtt: 40 }), status('api-eu', 'waiting', { downSince: 55_000, attempt: 2 })]).tooltip).toBe('1/2 up · worst RTT 40 ms · api-eu retrying');
    expect(model([status('api', 'open', { rtt: 40 }), status('api-eu', 'waiting', { downSince: 55_000 })]).state).toBe('degraded');
    expect(model([status('slow', 'open', { rtt: 1500 })])).toMatchObject({ state: 'degraded', tooltip: '1/1 up · worst RTT 1500 ms · slow slow 1500 ms' });
    expect(model([status('lossy', 'open', { rtt: 5, loss: 0.25 })])).toMatchObject({ state: 'degraded', tooltip: '1/1 up · worst RTT 5 ms · lossy loss 25 %' });
  });

  it('down when one stays down past the grace period or gave up', () => {
    expect(model([status('api', 'open', { rtt: 4 }), status('db', 'waiting', { downSince: 45_000 })])).toMatchObject({ state: 'down', tooltip: '1/2 up · worst RTT 4 ms · db down 15 s' });
    expect(model([status('api', 'open'), status('db', 'gave-up')]).state).toBe('down');
    // down outranks degraded
    expect(model([status('slow', 'open', { rtt: 5000 }), status('db', 'gave-up')]).state).toBe('down');
  });

  it('paused when every endpoint is paused or stopped; paused ones do not drag the rest down', () => {
    expect(model([status('a', 'paused'), status('b', 'stopped')])).toMatchObject({ state: 'paused', tooltip: '0/2 up · paused' });
    expect(model([status('a', 'paused'), status('b', 'open', { rtt: 3 })]).state).toBe('up');
  });

  it('names at most three troubled endpoints', () => {
    const list = ['a', 'b', 'c', 'd', 'e'].map((n) => status(n, 'gave-up'));
    expect(model(list).tooltip).toBe('0/5 up · a gave up · b gave up · c gave up · 2 more');
  });

  it('tells when the tray needs touching', () => {
    const m = model([status('a', 'open', { rtt: 3 })]);
    expect(trayChanged(null, m)).toBe(true);
    expect(trayChanged(m, model([status('a', 'open', { rtt: 3 })]))).toBe(false);
    expect(trayChanged(m, model([status('a', 'open', { rtt: 4 })]))).toBe(true);
  });
});
