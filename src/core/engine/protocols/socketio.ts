// Socket.IO 3/4 over Engine.IO 4, WebSocket transport only.
//   server: 0{"sid","pingInterval","pingTimeout",…}   (Engine.IO open)
//   client: 40[/nsp,][{auth}]                          (join the namespace)
//   server: 40[/nsp,]{"sid"}  or  44[/nsp,]{"message"} (joined, or refused)
// The server pings (2) every pingInterval and drops a client that does not
// answer (3) within pingTimeout; wsmon answers, and declares the server dead
// when its pings stop for pingInterval + pingTimeout, as Socket.IO's own
// client does. RTT comes from RFC 6455 ping frames, which the server's ws answers.
// Packets are read and written with Socket.IO's own parsers.
import type * as EngineIo from 'engine.io-parser';
import type * as SocketIo from 'socket.io-parser';
import { lazy } from '../lazy';
import { closeCodeText } from '../errors';
import type { DriverFactory } from './driver';
import { messageText, quoted } from './payload';

const engineIo = lazy<typeof EngineIo>('engine.io-parser');
const socketIo = lazy<typeof SocketIo>('socket.io-parser');

const enginePacket = (packet: EngineIo.Packet): string => {
  let out = '';
  engineIo().encodePacket(packet, false, (encoded) => (out = encoded as string));
  return out;
};

const seconds = (ms: number) => `${ms / 1000} s`;

export const socketio: DriverFactory = (cfg, port) => {
  const opts = cfg.appProtocol?.name === 'socketio' ? cfg.appProtocol : { namespace: '/', auth: undefined };
  const nsp = opts.namespace;
  let timing: { pingInterval: number; pingTimeout: number } | null = null;
  let joined = false;
  const { Decoder, Encoder, PacketType } = socketIo();
  const { decodePacket } = engineIo();
  const decoder = new Decoder();
  decoder.on('decoded', (p: SocketIo.Packet) => {
    if (p.nsp !== nsp) return;
    if (p.type === PacketType.CONNECT && !joined) {
      joined = true;
      port.ready(`namespace ${nsp} joined; the server pings every ${seconds(timing!.pingInterval)} and waits ${seconds(timing!.pingTimeout)} for the answer`);
      port.watchPeer(timing!.pingInterval + timing!.pingTimeout, timing!.pingInterval + timing!.pingTimeout, 1);
    } else if (p.type === PacketType.CONNECT_ERROR) {
      const said = typeof p.data?.message === 'string' ? p.data.message : JSON.stringify(p.data ?? null);
      port.refuse('SOCKETIO_CONNECT_ERROR', `Socket.IO refused to join namespace ${nsp}: ${quoted(said)}`);
    } else if (p.type === PacketType.DISCONNECT) {
      port.fault('SOCKETIO_DISCONNECT', `the server disconnected this client from namespace ${nsp}`);
    }
  });
  const send = (packet: EngineIo.Packet) => port.send(enginePacket(packet));

  return {
    beats: 'ping',
    open: () => {},
    ping: () => {},
    beat: () => {},
    message(data, isBinary) {
      if (isBinary) return port.data(messageText(data, true)); // a binary attachment
      const text = data.toString();
      const packet = decodePacket(text);
      switch (packet.type) {
        case 'open': {
          const o = safeJson(packet.data as string);
          const interval = o?.pingInterval;
          const timeout = o?.pingTimeout;
          if (typeof interval !== 'number' || typeof timeout !== 'number') {
            return port.refuse('SOCKETIO_BAD_OPEN', `not an Engine.IO 4 open packet: ${quoted(text)}`);
          }
          timing = { pingInterval: interval, pingTimeout: timeout };
          const join = new Encoder().encode({ type: PacketType.CONNECT, nsp, ...(opts.auth ? { data: opts.auth } : {}) });
          return send({ type: 'message', data: join[0] as string });
        }
        case 'ping':
          send({ type: 'pong' });
          return port.alive();
        case 'message':
          if (!timing) return;
          if (/^[014]/.test(packet.data as string)) return decodeQuietly(decoder, packet.data as string);
          return port.data(text);
        case 'close':
          return port.fault('SOCKETIO_CLOSE', 'the server closed the Engine.IO session');
        default:
          if (!timing) port.refuse('SOCKETIO_BAD_OPEN', `expected an Engine.IO open packet, got ${quoted(text)} (is this a Socket.IO 3/4 server?)`);
      }
    },
    closeWords: (code, reason) =>
      timing ? null : `the server closed the connection (${closeCodeText(code, reason)}) before its Engine.IO open packet: is this a Socket.IO 3/4 endpoint?`,
  };
};

function safeJson(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A malformed Socket.IO packet is the server's problem, not a reason to throw in the engine. */
function decodeQuietly(decoder: SocketIo.Decoder, text: string): void {
  try {
    decoder.add(text);
  } catch {
    /* not a packet we understand: ignored */
  }
}
