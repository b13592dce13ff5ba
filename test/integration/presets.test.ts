// The built-in presets (shared/presets/), each proven against a lab peer
// written from that protocol's documentation. Where the protocol's official
// client runs under Node (phoenix, @microsoft/signalr), it connects to the lab
// first, so the lab is proven to speak the protocol before wsmon is tested
// against it.
import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';
import { Socket } from 'phoenix';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { PresetName } from '../../src/shared/presets';
import type { EndpointConfigInput } from '../../src/shared/config';
import type { EventOf } from '../../src/shared/events';
import { useRig, until } from '../helpers/harness';

/** An endpoint that names the preset, pointed at the lab, with its heartbeat made fast (the endpoint's settings win over the preset's). */
function recipe(name: PresetName, labUrl: string, heartbeat: Partial<EndpointConfigInput['heartbeat']> = {}): Partial<EndpointConfigInput> & { url: string } {
  return { preset: name, url: labUrl, heartbeat: { intervalMs: 100, timeoutMs: 80, ...heartbeat }, backoff: { initialMs: 60_000 } };
}

describe('presets', () => {
  const rig = useRig();
  const add = (r: ReturnType<typeof recipe>) => rig.add(r.url, r);

  it('Phoenix Channels: the official client joins a channel on the lab and keeps its heartbeat; then the recipe does', async () => {
    // The client appends /websocket and its own query (vsn=2.0.0) to the endpoint it is given.
    rig.lab.route('/socket/websocket', { speaks: 'phoenix', pingEvery: 50 });
    const socket = new Socket(rig.lab.url('/socket'), { transport: WebSocket, heartbeatIntervalMs: 50, reconnectAfterMs: () => 60_000 });
    let heartbeatReplies = 0;
    socket.onMessage((message) => {
      const m = message as { topic: string; event: string };
      if (m.topic === 'phoenix' && m.event === 'phx_reply') heartbeatReplies++;
    });
    socket.connect();
    const channel = socket.channel('room:lobby', {});
    const joined = await new Promise<string>((resolve) =>
      channel
        .join()
        .receive('ok', () => resolve('ok'))
        .receive('error', () => resolve('error')),
    );
    // Phoenix's client drops a connection whose heartbeat reply is late; five replies prove the lab answers them.
    await until(() => heartbeatReplies >= 5, 'five heartbeat replies');
    expect([joined, socket.isConnected()]).toEqual(['ok', true]);
    await new Promise<void>((r) => socket.disconnect(() => r()));

    const url = `${rig.lab.url('/socket/websocket')}?vsn=2.0.0`;
    const id = add(recipe('phoenix', url));
    await rig.log.nth(id, 'rtt', 5);
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*']);
    // A join the server refuses: one error in its words.
    const refused = add(recipe('phoenix', `${rig.lab.url('/socket/websocket', { speaks: 'phoenix', reject: 'unauthorized' })}&vsn=2.0.0`));
    const err = (await rig.log.nth(refused, 'error')) as EventOf<'error'>;
    expect([err.code, err.message]).toEqual([
      'REFUSED',
      'the server refused: "[\\"1\\",\\"1\\",\\"room:lobby\\",\\"phx_reply\\",{\\"response\\":{\\"reason\\":\\"unauthorized\\"},\\"status\\":\\"error\\"}]"',
    ]);
  });

  it('ASP.NET SignalR (JSON hub protocol): the official client starts against the lab and outlives its server timeout; then the recipe does', async () => {
    const url = rig.lab.url('/hub', { speaks: 'signalr', pingEvery: 50 });
    const connection = new HubConnectionBuilder()
      .withUrl(url.replace(/^ws/, 'http'), { skipNegotiation: true, transport: HttpTransportType.WebSockets })
      .configureLogging(LogLevel.None)
      .build();
    connection.serverTimeoutInMilliseconds = 300;
    connection.keepAliveIntervalInMilliseconds = 100;
    await connection.start();
    const pings = rig.lab.stats.serverPings;
    await until(() => rig.lab.stats.serverPings >= pings + 10, 'ten server pings (past the client’s 300 ms server timeout)');
    expect(connection.state).toBe(HubConnectionState.Connected);
    await connection.stop();

    const id = add(recipe('signalr', url));
    await rig.log.nth(id, 'rtt', 5);
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*']);
    const refused = add(recipe('signalr', rig.lab.url('/hub', { speaks: 'signalr', reject: 'Hub not found' })));
    const err = (await rig.log.nth(refused, 'error')) as EventOf<'error'>;
    expect([err.code, err.message]).toEqual(['REFUSED', 'the server refused: "{\\"error\\":\\"Hub not found\\"}\\u001e"']);
  });

  it('Rails ActionCable: up after the welcome; the server’s pings are life; a stopped server is dead within 2 × its ping period + timeout', async () => {
    const id = add(
      recipe('actioncable', rig.lab.url('/cable', { speaks: 'actioncable', pingEvery: 100, silentAfter: 600 }), { intervalMs: 100, timeoutMs: 100, misses: 2 }),
    );
    const open = (await rig.log.nth(id, 'open')) as EventOf<'open'>;
    expect(open.protocol).toBe('actioncable-v1-json');
    const close = (await rig.log.nth(id, 'close')) as EventOf<'close'>;
    expect(close.initiator).toBe('heartbeat');
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'heartbeat-missed', 'heartbeat-missed', 'close', 'reconnect-scheduled']);
    // Pings stopped at 600 ms: dead at most interval + timeout + interval later.
    expect(close.mono - open.mono).toBeLessThan(600 + 300 + 250);
    const refused = add(recipe('actioncable', rig.lab.url('/cable', { speaks: 'actioncable', reject: 'unauthorized' })));
    const err = (await rig.log.nth(refused, 'error')) as EventOf<'error'>;
    expect(err.message).toBe('the server refused: "{\\"type\\":\\"disconnect\\",\\"reason\\":\\"unauthorized\\",\\"reconnect\\":false}"');
  });

  it('Pusher: up after connection_established, pusher:ping answered by pusher:pong; pusher:error is a refusal', async () => {
    const id = add(recipe('pusher', rig.lab.url('/app/key', { speaks: 'pusher' })));
    const rtt = (await rig.log.nth(id, 'rtt', 3)) as EventOf<'rtt'>;
    expect(rtt.via).toBe('message');
    const refused = add(recipe('pusher', rig.lab.url('/app/key', { speaks: 'pusher', reject: 'App key not in use' })));
    const err = (await rig.log.nth(refused, 'error')) as EventOf<'error'>;
    expect(err.code).toBe('REFUSED');
    expect(err.message).toContain('App key not in use');
  });

  it('a feed that needs a subscribe message: up once subscribed, stale when its data stops while pongs still come back, fresh never claimed', async () => {
    const id = add({
      ...recipe('subscribe-feed', rig.lab.url('/v1', { speaks: 'feed', pingEvery: 50, silentAfter: 500 })),
      freshness: { everyMs: 300, match: { kind: 'json', path: 'channel', equals: 'ticker' } },
    });
    const stale = (await rig.log.nth(id, 'stale')) as EventOf<'stale'>;
    expect(stale.expectedMs).toBe(300);
    // Still connected, and its heartbeats still answered.
    const after = await rig.log.waitFor((e) => e.endpoint === id && e.type === 'rtt' && e.mono > stale.mono, 'an answered heartbeat after stale');
    expect(after.type).toBe('rtt');
    expect(rig.log.types(id)).toEqual(['endpoint-added', 'connecting', 'open', 'rtt*', 'stale', 'rtt*']);
  });
});
