// Protocol drivers fed packets byte by byte: what they make of what a server
// sends, without a server. The real servers are in test/integration/protocols.
import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/engine/clock';
import type { DriverPort } from '../../src/core/engine/protocols/driver';
import { driverFor } from '../../src/core/engine/protocols';
import { negotiate, parseFrame } from '../../src/core/engine/protocols/stomp';
import { parseEndpoint, type EndpointConfigInput } from '../../src/shared/config';

function drive(input: EndpointConfigInput) {
  const calls: string[] = [];
  const sent: (string | Buffer)[] = [];
  const port: DriverPort = {
    send: (d) => sent.push(d),
    ready: (d) => calls.push(`ready ${d ?? ''}`.trim()),
    refuse: (c, m) => calls.push(`refuse ${c} ${m}`),
    fault: (c, m) => calls.push(`fault ${c} ${m}`),
    answer: (s) => calls.push(`answer ${s}`),
    failBeat: (s, m) => calls.push(`fail ${s} ${m}`),
    alive: () => calls.push('alive'),
    watchPeer: (a, b, n) => calls.push(`watch ${a} ${b} ${n}`),
    data: (t) => calls.push(`data ${t}`),
  };
  const cfg = { ...parseEndpoint(input), id: 'x', name: 'x' };
  const driver = driverFor(cfg, port, new ManualClock());
  return { driver, calls, sent };
}

const bytes = (b: Buffer) => [...b].map((x) => Buffer.from([x]));

describe('MQTT driver', () => {
  it('reads a CONNACK that arrives one byte per WebSocket message', () => {
    const { driver, calls, sent } = drive({ url: 'ws://x/', appProtocol: { name: 'mqtt', clientId: 'me' } });
    driver.open();
    expect((sent[0] as Buffer)[0]).toBe(0x10); // CONNECT
    for (const b of bytes(mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }))) driver.message(b, true);
    for (const b of bytes(mqtt.generate({ cmd: 'pingresp' }))) driver.message(b, true);
    expect(calls).toEqual(['ready MQTT 3.1.1 session accepted; keep-alive 60 s', 'answer null']);
  });

  it('MQTT 5: a CONNACK reason code is named; a DISCONNECT after connect is a fault in the broker’s words', () => {
    const refused = drive({ url: 'ws://x/', appProtocol: { name: 'mqtt', version: 5 } });
    refused.driver.open();
    refused.driver.message(mqtt.generate({ cmd: 'connack', reasonCode: 0x86, sessionPresent: false }, { protocolVersion: 5 }), true);
    expect(refused.calls).toEqual(['refuse MQTT_CONNACK_134 the MQTT broker refused the connection: bad user name or password (CONNACK 134)']);
    const ok = drive({ url: 'ws://x/', appProtocol: { name: 'mqtt', version: 5 } });
    ok.driver.open();
    ok.driver.message(mqtt.generate({ cmd: 'connack', reasonCode: 0, sessionPresent: false }, { protocolVersion: 5 }), true);
    ok.driver.message(mqtt.generate({ cmd: 'disconnect', reasonCode: 0x8b }, { protocolVersion: 5 }), true);
    expect(ok.calls).toEqual([
      'ready MQTT 5 session accepted; keep-alive 60 s',
      'fault MQTT_DISCONNECT_139 the MQTT broker disconnected this client: server shutting down',
    ]);
  });

  it('a packet announced larger than maxPayload is refused before it is buffered', () => {
    const { driver, calls } = drive({ url: 'ws://x/', maxPayload: 1000, appProtocol: { name: 'mqtt' } });
    driver.open();
    driver.message(mqtt.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }), true);
    const big = mqtt.generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(5000), qos: 0, retain: false, dup: false });
    driver.message(big.subarray(0, 1500), true);
    expect(calls.at(-1)).toMatch(/^fault MQTT_PACKET_TOO_LARGE/);
  });

  it('a text message is not MQTT', () => {
    const { driver, calls } = drive({ url: 'ws://x/', appProtocol: { name: 'mqtt' } });
    driver.open();
    driver.message(Buffer.from('hello'), false);
    expect(calls).toEqual(['refuse MQTT_TEXT_MESSAGE the broker sent a text message; MQTT over WebSocket is binary (is this an MQTT endpoint?)']);
  });
});

describe('STOMP driver', () => {
  it('negotiates heart-beats as §Heart-beating says: each side at the slower of what one offers and the other wants', () => {
    expect(negotiate(10_000, '0,0')).toEqual({ sendMs: 0, expectMs: 0 });
    expect(negotiate(10_000, '5000,20000')).toEqual({ sendMs: 20_000, expectMs: 10_000 });
    expect(negotiate(0, '5000,5000')).toEqual({ sendMs: 0, expectMs: 0 });
  });

  it('parses frames with escaped headers, the first of a repeated header winning', () => {
    expect(parseFrame('ERROR\nmessage:bad\\cthing\\nhere\nmessage:second\n\nbody text')).toEqual({
      command: 'ERROR',
      headers: { message: 'bad:thing\nhere' },
      body: 'body text',
    });
  });

  it('reads frames split across messages and several in one; EOLs are heart-beats', () => {
    const { driver, calls } = drive({ url: 'ws://h/', appProtocol: { name: 'stomp', heartBeatMs: 1000 } });
    driver.open();
    driver.message(Buffer.from('CONNECTED\nversion:1.2\nheart-be'), false);
    driver.message(Buffer.from('at:2000,0\n\n\0\nMESSAGE\ndestination:/q\n\nhi\0'), false);
    driver.message(Buffer.from('\n'), false);
    expect(calls).toEqual(['alive', 'alive', 'ready STOMP 1.2; heart-beats: wsmon sends none, the server every 2 s', 'watch 7000 7000 1', 'data hi', 'alive']);
  });
});

describe('Socket.IO driver', () => {
  it('a server that is not Engine.IO 4 is told apart from a refusal', () => {
    const { driver, calls } = drive({ url: 'ws://x/', appProtocol: { name: 'socketio' } });
    driver.open();
    driver.message(Buffer.from('{"hello":1}'), false);
    expect(calls).toEqual(['refuse SOCKETIO_BAD_OPEN expected an Engine.IO open packet, got "{\\"hello\\":1}" (is this a Socket.IO 3/4 server?)']);
  });

  it('joins the configured namespace with its auth, and fills in the Socket.IO path for a bare origin', () => {
    const { driver, sent, calls } = drive({ url: 'ws://h:3000', appProtocol: { name: 'socketio', namespace: '/admin', auth: { token: 't' } } });
    expect(parseEndpoint({ url: 'ws://h:3000', appProtocol: { name: 'socketio' } }).url).toBe('ws://h:3000/socket.io/?EIO=4&transport=websocket');
    driver.message(Buffer.from('0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'), false);
    expect(sent).toEqual(['40/admin,{"token":"t"}']);
    driver.message(Buffer.from('40/admin,{"sid":"x"}'), false);
    driver.message(Buffer.from('2'), false);
    expect(sent.at(-1)).toBe('3');
    expect(calls).toEqual(['ready namespace /admin joined; the server pings every 25 s and waits 20 s for the answer', 'watch 45000 45000 1', 'alive']);
  });
});
