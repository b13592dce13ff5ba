// The building blocks against the lab, each usable alone: messages on open
// with an acknowledgement to wait for, a refusal in the server's words,
// replies, binary heartbeats, and passive watching that counts only matching
// messages as life.
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../src/shared/events';
import { useRig, until } from '../helpers/harness';

describe('building blocks', () => {
  const rig = useRig();

  it('messages on open, then an acknowledgement: the endpoint is up only once it arrives, and the heartbeat starts after it', async () => {
    const id = rig.add(rig.lab.url('/'), { onOpen: { send: ['hello', 'echo:welcome'], ack: { kind: 'exact', text: 'welcome' } } });
    const open = (await rig.log.nth(id, 'open')) as EventOf<'open'>;
    await rig.log.nth(id, 'rtt', 2);
    expect(open.negotiated).toBeUndefined();
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*']);
  });

  it('no acknowledgement within the connect timeout: a handshake error that names what was awaited', async () => {
    const id = rig.add(rig.lab.url('/'), {
      connectTimeoutMs: 300,
      onOpen: { send: ['hello'], ack: { kind: 'json', path: 'type', equals: 'welcome' } },
      backoff: { initialMs: 60_000 },
    });
    const err = (await rig.log.nth(id, 'error')) as EventOf<'error'>;
    expect([err.phase, err.code]).toEqual(['handshake', 'APP_HANDSHAKE_TIMEOUT']);
    expect(err.message).toBe('the WebSocket opened, but the acknowledgement (json:type=welcome) did not complete within 300 ms (connect timeout)');
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'error', 'reconnect-scheduled']);
  });

  it('a refusal rule: the server saying no is one error in its own words, and the attempt fails', async () => {
    const id = rig.add(rig.lab.url('/'), {
      onOpen: { send: ['echo:{"error":"token expired"}'], ack: { kind: 'exact', text: 'welcome' }, refuse: { kind: 'regex', pattern: '"error"', flags: '' } },
      backoff: { initialMs: 60_000 },
    });
    const err = (await rig.log.nth(id, 'error')) as EventOf<'error'>;
    expect([err.phase, err.code, err.message]).toEqual(['handshake', 'REFUSED', 'the server refused: "{\\"error\\":\\"token expired\\"}"']);
  });

  it('replies answer the server’s own heartbeat; those messages are life, not data', async () => {
    // The lab sends "tick …" every 40 ms; answering each with "ping" makes the lab count them.
    const id = rig.add(rig.lab.url('/', { tick: 40 }), {
      replies: [{ match: { kind: 'regex', pattern: '^tick', flags: '' }, send: 'ping' }],
      freshness: { everyMs: 200, match: { kind: 'regex', pattern: '^tick', flags: '' } },
    });
    await rig.log.nth(id, 'open');
    await until(() => rig.lab.stats.appPingsReceived >= 5, 'five replies');
    // Ticks are answered, never counted as data: a feed of ticks alone goes stale.
    await rig.log.nth(id, 'stale');
  });

  it('binary heartbeats written as hex:, answered by the same bytes', async () => {
    const id = rig.add(rig.lab.url('/'), { heartbeat: { mode: 'message', payload: 'hex:c000', match: { kind: 'exact', text: 'hex:c000' } } });
    const rtt = (await rig.log.nth(id, 'rtt', 3)) as EventOf<'rtt'>;
    expect(rtt.via).toBe('message');
    expect(rig.lab.stats.pongsSent).toBeGreaterThanOrEqual(3);
  });

  it('passive watching with a liveness rule: only matching messages are life', async () => {
    const fed = rig.add(rig.lab.url('/', { tick: 30 }), { heartbeat: { mode: 'passive', lifeMatch: { kind: 'regex', pattern: '^tick', flags: '' } } });
    const starved = rig.add(rig.lab.url('/', { tick: 30 }), {
      heartbeat: { mode: 'passive', lifeMatch: { kind: 'exact', text: 'alive' } },
      backoff: { initialMs: 60_000 },
    });
    const close = (await rig.log.nth(starved, 'close')) as EventOf<'close'>;
    expect(close.initiator).toBe('heartbeat');
    expect(rig.log.types(starved)).toEqual(['endpoint-added', 'connecting', 'open', 'heartbeat-missed', 'heartbeat-missed', 'close', 'reconnect-scheduled']);
    expect(rig.log.types(fed)).toEqual(['endpoint-added', 'connecting', 'open']);
  });
});
