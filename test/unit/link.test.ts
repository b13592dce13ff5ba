// One socket's life against the lab: open with its handshake time, heartbeats,
// refusals and closes named, and nothing left running afterwards.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FrameLog } from '../../src/core/engine/frame-log';
import { Link, type CloseInfo, type LinkHooks } from '../../src/core/engine/link';
import type { NamedError } from '../../src/core/engine/errors';
import { parseEndpoint, type EndpointConfigInput } from '../../src/shared/config';
import type { EventBody } from '../../src/shared/events';
import { CountingClock, until } from '../helpers/harness';
import { startLab, type Lab } from '../lab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

const clock = new CountingClock();
afterEach(() => {
  expect(clock.pending, 'timers left running').toBe(0);
});

interface Seen {
  open?: { handshakeMs: number; protocol: string };
  events: EventBody[];
  failed?: NamedError;
  closed?: CloseInfo;
}

function link(url: string, over: Partial<EndpointConfigInput> = {}): { link: Link; seen: Seen } {
  const seen: Seen = { events: [] };
  const hooks: LinkHooks = {
    open: ({ handshakeMs, protocol }) => (seen.open = { handshakeMs, protocol }),
    event: (e) => seen.events.push(e),
    failed: (e) => (seen.failed = e),
    closed: (c) => (seen.closed = c),
  };
  const cfg = { ...parseEndpoint({ url, ...over, heartbeat: { intervalMs: 50, timeoutMs: 40, ...over.heartbeat } }), id: 'x', name: 'x' };
  return { link: new Link(cfg, clock, new FrameLog(cfg.frames, clock, 0), hooks), seen };
}

describe('Link', () => {
  it('opens, measures heartbeats, and closes cleanly when asked', async () => {
    const { link: l, seen } = link(lab.url('/'));
    await until(() => seen.events.filter((e) => e.type === 'rtt').length >= 3, 'three RTT samples');
    expect(seen.open!.handshakeMs).toBeGreaterThan(0);
    expect(seen.events.slice(0, 3).map((e) => e.type === 'rtt' && [e.seq, e.via])).toEqual([
      [1, 'ping'],
      [2, 'ping'],
      [3, 'ping'],
    ]);
    l.close();
    await l.ended;
    expect(seen.closed).toMatchObject({ code: 1000, wasClean: true, initiator: 'client' });
    expect(seen.failed).toBeUndefined();
  });

  it('a refused upgrade fails in the handshake phase with the HTTP status', async () => {
    const { link: l, seen } = link(lab.url('/?refuse=503'));
    await l.ended;
    expect(seen.failed).toEqual({
      phase: 'handshake',
      code: 'HTTP_503',
      message: 'server refused the WebSocket upgrade with HTTP 503 Service Unavailable',
      inPhase: 'upgrade',
      phaseMs: expect.any(Number),
    });
    expect(seen.open).toBeUndefined();
  });

  it('a server that never answers the upgrade is a connect timeout', async () => {
    const { link: l, seen } = link(lab.url('/?hang=1'), { connectTimeoutMs: 200 });
    await l.ended;
    expect(seen.failed).toMatchObject({ code: 'ETIMEDOUT', message: expect.stringContaining('within 200 ms') });
  });

  it("a server's close is reported with its code, reason and who closed", async () => {
    const { link: l, seen } = link(lab.url('/?closeAfter=50&closeCode=4000&closeReason=bye'));
    await l.ended;
    expect(seen.closed).toMatchObject({ code: 4000, reason: 'bye', wasClean: true, initiator: 'server' });
  });

  it('a silent peer is killed by the heartbeat after its misses, without waiting for a closing handshake', async () => {
    const { link: l, seen } = link(lab.url('/?silentAfter=100'), { heartbeat: { intervalMs: 50, timeoutMs: 40, misses: 2 } });
    await l.ended;
    expect(seen.events.filter((e) => e.type === 'heartbeat-missed').map((e) => e.type === 'heartbeat-missed' && e.missed)).toEqual([1, 2]);
    expect(seen.closed).toMatchObject({ code: 1006, wasClean: false, initiator: 'heartbeat' });
  });
});
