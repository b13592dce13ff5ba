// Each application protocol against its real server from npm (socket.io,
// graphql-ws, aedes, stomp-broker-js, rpc-websockets), all in one child
// process on 127.0.0.1 with their own timeouts short: wsmon stays connected
// through several of them, measures RTT at the application level, is refused
// in the server's words, and declares every server dead when the process is
// stopped with SIGSTOP.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointConfigInput } from '../../src/shared/config';
import type { EventOf, WsmonEvent } from '../../src/shared/events';
import { unrequestedDisconnects } from '../../src/shared/status';
import { bundleForNode } from '../helpers/bundle';
import { useRig } from '../helpers/harness';
import { SERVER_TIMING } from '../helpers/children/protocol-servers-timing';

interface Ports {
  socketio: number;
  graphql: number;
  mqtt: number;
  stomp: number;
  jsonRpc: number;
}

let child: ChildProcess;
let ports: Ports;

beforeAll(async () => {
  const file = await bundleForNode('test/helpers/children/protocol-servers.ts', 'external');
  child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
  // The servers log writes to sockets the tests killed (graphql-ws: EPIPE); kept only to explain a crash.
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`protocol servers exited (${code}): ${stderr}`)));
  });
  ports = JSON.parse(first) as Ports;
}, 60_000);

afterAll(() => {
  child?.kill('SIGCONT');
  child?.kill('SIGKILL');
});

const HB = { intervalMs: 200, timeoutMs: 150, misses: 2 };
/** The death bound for ping and message heartbeats: misses × interval + timeout after the last answer in time. */
const BOUND_MS = HB.misses * HB.intervalMs + HB.timeoutMs;

const url = (port: number, path = '/') => `ws://127.0.0.1:${port}${path}`;

/** One endpoint per protocol, healthy settings. */
function healthy(): Record<string, [string, Partial<EndpointConfigInput>]> {
  return {
    socketio: [url(ports.socketio), { appProtocol: { name: 'socketio' } }],
    graphql: [url(ports.graphql, '/graphql'), { appProtocol: { name: 'graphql-ws' } }],
    mqtt: [url(ports.mqtt), { appProtocol: { name: 'mqtt', keepaliveS: SERVER_TIMING.mqttKeepaliveS } }],
    stomp: [url(ports.stomp, '/stomp'), { appProtocol: { name: 'stomp', heartBeatMs: SERVER_TIMING.stompHeartbeat } }],
    jsonRpc: [url(ports.jsonRpc), { appProtocol: { name: 'json-rpc', method: 'ping' } }],
  };
}

/** How each protocol's RTT is measured. */
const VIA: Record<string, 'ping' | 'message'> = { socketio: 'ping', graphql: 'message', mqtt: 'message', stomp: 'ping', jsonRpc: 'message' };

describe('application protocols against their real servers', () => {
  const rig = useRig();

  const addAll = (specs: Record<string, [string, Partial<EndpointConfigInput>]>) =>
    Object.fromEntries(Object.entries(specs).map(([k, [u, over]]) => [k, rig.add(u, { ...over, heartbeat: HB, backoff: { initialMs: 5000 } })]));

  it('stays connected through at least three of each server’s own timeouts with zero disconnects, and records application-level RTT', async () => {
    const ids = addAll(healthy());
    // The longest server timeout is MQTT's: the broker drops a client silent for 1.5 × keep-alive.
    const longest = Math.max(
      SERVER_TIMING.socketioPingInterval + SERVER_TIMING.socketioPingTimeout,
      SERVER_TIMING.graphqlInitWait,
      SERVER_TIMING.stompHeartbeat + 100,
      SERVER_TIMING.mqttKeepaliveS * 1500,
    );
    const beats = Math.ceil((3 * longest) / HB.intervalMs) + 1;
    await Promise.all(Object.values(ids).map((id) => rig.log.nth(id, 'rtt', beats, 3 * longest + 5000)));
    for (const [k, id] of Object.entries(ids)) {
      const events = rig.log.of(id);
      const open = events.find((e) => e.type === 'open') as EventOf<'open'>;
      expect(open.appProtocol, k).toBeDefined();
      expect(open.negotiated, k).toBeTruthy();
      expect(
        events.filter((e) => ['close', 'error', 'heartbeat-missed'].includes(e.type)),
        `${k}: ${rig.log.summary()}`,
      ).toEqual([]);
      const rtts = events.filter((e): e is EventOf<'rtt'> => e.type === 'rtt');
      expect(
        rtts.every((r) => r.via === VIA[k] && !r.late),
        k,
      ).toBe(true);
      const stats = rig.records.status(id).stats;
      expect([stats.connects, unrequestedDisconnects(stats), stats.heartbeatsMissed], k).toEqual([1, 0, 0]);
    }
  }, 30_000);

  it("each protocol's frames are captured and named in its words: its handshake as wsmon's protocol, its beats and their answers as the heartbeat", async () => {
    const ids = addAll(healthy());
    await Promise.all(Object.values(ids).map((id) => rig.log.nth(id, 'rtt', 2)));
    const expected: Record<string, string[]> = {
      socketio: ['in engine.io open -', 'out socket.io CONNECT protocol', 'in socket.io CONNECT -', 'out - heartbeat'],
      graphql: ['out connection_init protocol', 'in connection_ack -', 'out ping heartbeat', 'in pong heartbeat'],
      mqtt: ['out CONNECT protocol', 'in CONNACK -', 'out PINGREQ heartbeat', 'in PINGRESP heartbeat'],
      stomp: ['out CONNECT protocol', 'in CONNECTED -', 'out - heartbeat'],
      jsonRpc: ['out call ping heartbeat', 'in result #'],
    };
    for (const [k, id] of Object.entries(ids)) {
      const seen = rig.monitor.frames(id).frames.map((f) => `${f.dir} ${f.label ?? '-'} ${f.by ?? '-'}`);
      for (const want of expected[k]!)
        expect(
          seen.some((s) => (want.includes('#') ? s.startsWith('in result #') && s.endsWith('heartbeat') : s === want)),
          `${k}: ${want} in ${seen.join(' | ')}`,
        ).toBe(true);
    }
  }, 30_000);

  it('every server stopped with SIGSTOP is declared dead within the bound after its last answer', async () => {
    const ids = addAll(healthy());
    await Promise.all(Object.values(ids).map((id) => rig.log.nth(id, 'rtt', 3)));
    child.kill('SIGSTOP');
    try {
      const closes = await Promise.all(Object.values(ids).map((id) => rig.log.waitFor((e) => e.endpoint === id && e.type === 'close', `close of ${id}`, 5000)));
      for (const [i, [k, id]] of Object.entries(ids).entries()) {
        const close = closes[i] as EventOf<'close'>;
        expect(close.initiator, k).toBe('heartbeat');
        const lastAnswer = rig.log
          .of(id)
          .filter((e): e is WsmonEvent & EventOf<'rtt'> => e.type === 'rtt' && e.mono < close.mono)
          .at(-1)!;
        // 250 ms for timers on a loaded 2-core machine.
        expect(close.mono - lastAnswer.mono, k).toBeLessThanOrEqual(BOUND_MS + 250);
      }
    } finally {
      child.kill('SIGCONT');
    }
  }, 20_000);

  it('a refusal is one error in the server’s own words', async () => {
    const refused: Record<string, [string, Partial<EndpointConfigInput>, string, RegExp]> = {
      socketioNamespace: [
        url(ports.socketio),
        { appProtocol: { name: 'socketio', namespace: '/nope' } },
        'SOCKETIO_CONNECT_ERROR',
        /namespace \/nope: "Invalid namespace"/,
      ],
      socketioAuth: [
        url(ports.socketio),
        { appProtocol: { name: 'socketio', namespace: '/secure', auth: { token: 'wrong' } } },
        'SOCKETIO_CONNECT_ERROR',
        /"invalid token"/,
      ],
      graphql: [url(ports.graphql, '/graphql'), { appProtocol: { name: 'graphql-ws', payload: { token: 'wrong' } } }, 'APP_CLOSED_4403', /forbidden.*4403/],
      mqtt: [
        url(ports.mqtt),
        { appProtocol: { name: 'mqtt', username: 'intruder', password: 'x', keepaliveS: 1 } },
        'MQTT_CONNACK_4',
        /bad user name or password/,
      ],
      stomp: [url(ports.stomp, '/stomp'), { appProtocol: { name: 'stomp', login: 'intruder', passcode: 'x' } }, 'STOMP_ERROR', /ERROR: "CONNECTION ERROR"/],
      // aedes speaks 3.1.1 only, and says so the 3.1.1 way.
      mqtt5: [url(ports.mqtt), { appProtocol: { name: 'mqtt', version: 5, keepaliveS: 1 } }, 'MQTT_CONNACK_1', /does not speak MQTT 5/],
      subprotocol: [
        url(ports.mqtt),
        { appProtocol: { name: 'mqtt', keepaliveS: 1 }, protocols: ['graphql-transport-ws'] },
        'SUBPROTOCOL_REFUSED',
        /accepted none of the subprotocols/,
      ],
      notSocketIo: [
        url(ports.graphql, '/graphql'),
        { appProtocol: { name: 'socketio' }, protocols: ['graphql-transport-ws'] },
        'APP_CLOSED_4408',
        /before its Engine\.IO open packet: is this a Socket\.IO 3\/4 endpoint/,
      ],
    };
    const ids = Object.fromEntries(
      Object.entries(refused).map(([k, [u, over]]) => [k, rig.add(u, { ...over, heartbeat: HB, connectTimeoutMs: 1000, backoff: { initialMs: 60_000 } })]),
    );
    for (const [k, id] of Object.entries(ids)) {
      const err = (await rig.log.nth(id, 'error', 1, 5000)) as EventOf<'error'>;
      expect([err.phase, err.code], k).toEqual(['handshake', refused[k]![2]]);
      expect(err.message, k).toMatch(refused[k]![3]);
      // Failed before open: one error, then the retry; never an open that looks healthy.
      await rig.log.nth(id, 'reconnect-scheduled');
      expect(rig.log.types(id), k).toEqual(['endpoint-added', 'connecting', 'error', 'reconnect-scheduled']);
    }
  }, 20_000);

  it('JSON-RPC: an error answer is a failed beat with the server’s message; misses in a row are death', async () => {
    const id = rig.add(url(ports.jsonRpc), { appProtocol: { name: 'json-rpc', method: 'eth_blockNumber' }, heartbeat: HB, backoff: { initialMs: 60_000 } });
    await rig.log.nth(id, 'close');
    const seq = rig.log.of(id).map((e) => (e.type === 'error' ? `error ${e.code} ${e.message}` : e.type));
    expect(seq).toEqual([
      'endpoint-added',
      'connecting',
      'open',
      'error BEAT_FAILED heartbeat #1 failed: eth_blockNumber answered error -32601 "Method not found"',
      'heartbeat-missed',
      'error BEAT_FAILED heartbeat #2 failed: eth_blockNumber answered error -32601 "Method not found"',
      'heartbeat-missed',
      'close',
      'reconnect-scheduled',
    ]);
  });

  it('Socket.IO: data from a namespace keeps a freshness rule satisfied; the server pings are answered (no disconnect past its pingTimeout)', async () => {
    const id = rig.add(url(ports.socketio), {
      appProtocol: { name: 'socketio', namespace: '/feed' },
      heartbeat: HB,
      freshness: { everyMs: 300, match: { kind: 'regex', pattern: '^42/feed,\\["tick"', flags: '' } },
    });
    const open = (await rig.log.nth(id, 'open')) as EventOf<'open'>;
    await rig.log.waitFor(
      (e) => e.endpoint === id && e.mono > open.mono + 3 * (SERVER_TIMING.socketioPingInterval + SERVER_TIMING.socketioPingTimeout),
      'three server ping cycles',
    );
    expect(rig.log.types(id).filter((t) => ['stale', 'close', 'error'].includes(t))).toEqual([]);
  });
});
