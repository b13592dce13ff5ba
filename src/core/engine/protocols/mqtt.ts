// MQTT 3.1.1 (version 4) and 5 over WebSocket (subprotocol "mqtt"):
//   client: CONNECT (client id, keep-alive, optional username/password)
//   server: CONNACK, its return code 0 or the refusal, in words
// The heartbeat is PINGREQ, answered in order by PINGRESP. MQTT is a byte
// stream: a packet may span several WebSocket messages (aedes sends CONNACK
// in pieces), so every binary message feeds one parser (mqtt-packet, the
// parser mqtt.js and aedes use), whose buffered bytes are bounded.
import { randomBytes } from 'node:crypto';
import type MqttPacket from 'mqtt-packet';
import { lazy } from '../lazy';
import type { DriverFactory } from './driver';

/** MQTT 3.1.1 CONNACK return codes (§3.2.2.3). */
const CONNACK_V4: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'client identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

/** MQTT 5 reason codes a CONNACK or DISCONNECT may carry (§2.4). */
const REASON_V5: Record<number, string> = {
  0x80: 'unspecified error',
  0x81: 'malformed packet',
  0x82: 'protocol error',
  0x83: 'implementation specific error',
  0x84: 'unsupported protocol version',
  0x85: 'client identifier not valid',
  0x86: 'bad user name or password',
  0x87: 'not authorized',
  0x88: 'server unavailable',
  0x89: 'server busy',
  0x8a: 'banned',
  0x8b: 'server shutting down',
  0x8c: 'bad authentication method',
  0x8d: 'keep alive timeout',
  0x8e: 'session taken over',
  0x95: 'packet too large',
  0x97: 'quota exceeded',
  0x9c: 'use another server',
  0x9d: 'server moved',
  0x9f: 'connection rate exceeded',
};

const mqttPacket = lazy<typeof MqttPacket>('mqtt-packet');

export const mqttDriver: DriverFactory = (cfg, port) => {
  const opts =
    cfg.appProtocol?.name === 'mqtt' ? cfg.appProtocol : { version: 4 as const, keepaliveS: 60, clientId: undefined, username: undefined, password: undefined };
  const v = opts.version;
  const mqtt = mqttPacket();
  const pingreq = mqtt.generate({ cmd: 'pingreq' });
  const parser = mqtt.parser({ protocolVersion: v });
  let connected = false;
  let broken = false;
  const words = (code: number) => (v === 5 ? REASON_V5[code] : CONNACK_V4[code]) ?? `code ${code}`;

  parser.on('packet', (p: MqttPacket.Packet) => {
    if (p.cmd === 'connack') {
      const code = (v === 5 ? p.reasonCode : p.returnCode) ?? 0;
      // A broker that speaks only 3.1.1 answers a version 5 CONNECT with the 3.1.1 code 1.
      if (v === 5 && code === 1)
        return port.refuse(
          'MQTT_CONNACK_1',
          'the MQTT broker refused the connection: unacceptable protocol version (CONNACK 1): it does not speak MQTT 5; use version 4 (3.1.1)',
        );
      if (code !== 0) return port.refuse(`MQTT_CONNACK_${code}`, `the MQTT broker refused the connection: ${words(code)} (CONNACK ${code})`);
      if (connected) return;
      connected = true;
      return port.ready(`MQTT ${v === 5 ? '5' : '3.1.1'} session accepted${p.sessionPresent ? ' (session present)' : ''}; keep-alive ${opts.keepaliveS} s`);
    }
    if (p.cmd === 'pingresp') return port.answer(null);
    if (p.cmd === 'disconnect') {
      const code = p.reasonCode ?? 0;
      return port.fault(`MQTT_DISCONNECT_${code}`, `the MQTT broker disconnected this client: ${code ? words(code) : 'normal disconnection'}`);
    }
    if (p.cmd === 'publish') port.data(Buffer.isBuffer(p.payload) ? p.payload.toString() : String(p.payload));
  });
  parser.on('error', (err: Error) => {
    broken = true;
    const message = `the broker sent a malformed MQTT packet: ${err.message}`;
    if (connected) port.fault('MQTT_BAD_PACKET', message);
    else port.refuse('MQTT_BAD_PACKET', message);
  });

  return {
    beats: 'message',
    open: () =>
      port.send(
        mqtt.generate(
          {
            cmd: 'connect',
            protocolId: 'MQTT',
            protocolVersion: v,
            clean: true,
            // A fresh id per connection: two probes watching one broker must not take each other's session over.
            clientId: opts.clientId ?? `wsmon-${randomBytes(6).toString('hex')}`,
            keepalive: opts.keepaliveS,
            ...(opts.username !== undefined ? { username: opts.username } : {}),
            ...(opts.password !== undefined ? { password: Buffer.from(opts.password) } : {}),
          },
          { protocolVersion: v },
        ),
      ),
    ping: () => {},
    beat: () => port.send(pingreq),
    message(data, isBinary) {
      if (broken) return;
      if (!isBinary) {
        broken = true;
        const message = 'the broker sent a text message; MQTT over WebSocket is binary (is this an MQTT endpoint?)';
        return connected ? port.fault('MQTT_TEXT_MESSAGE', message) : port.refuse('MQTT_TEXT_MESSAGE', message);
      }
      // Bytes of a packet still incomplete: a peer announcing a huge packet cannot make us hold more than maxPayload.
      if (parser.parse(data) > cfg.maxPayload) {
        broken = true;
        port.fault('MQTT_PACKET_TOO_LARGE', `the broker is sending an MQTT packet larger than the ${cfg.maxPayload}-byte limit (maxPayload)`);
      }
    },
  };
};
