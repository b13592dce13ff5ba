// What an application protocol calls a frame, read from its first bytes:
// engine.io and Socket.IO packet types, MQTT control packets, STOMP commands,
// graphql-ws message types, JSON-RPC calls and answers. Shown beside each
// frame; never decides anything.
import type { AppProtocolName } from './app-protocols';
import type { FrameOp } from './frames';

const ENGINE_IO = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
const SOCKET_IO = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'];
const MQTT = [
  'reserved',
  'CONNECT',
  'CONNACK',
  'PUBLISH',
  'PUBACK',
  'PUBREC',
  'PUBREL',
  'PUBCOMP',
  'SUBSCRIBE',
  'SUBACK',
  'UNSUBSCRIBE',
  'UNSUBACK',
  'PINGREQ',
  'PINGRESP',
  'DISCONNECT',
  'AUTH',
];

/** The longest label: a name from the peer is cut here. */
const LABEL_CHARS = 48;

type Labeller = (op: FrameOp, payload: string) => string | null;

/** A JSON object's field, when the text is a JSON object. */
function jsonObject(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const cut = (s: string) => (s.length > LABEL_CHARS ? `${s.slice(0, LABEL_CHARS)}…` : s);

const LABELLERS: { [N in AppProtocolName]: Labeller } = {
  socketio: (op, text) => {
    if (op !== 'text' || !text) return null;
    const engine = ENGINE_IO[Number(text[0])];
    if (!engine) return null;
    if (engine !== 'message' || text.length < 2) return `engine.io ${engine}`;
    const packet = SOCKET_IO[Number(text[1])];
    if (!packet) return 'engine.io message';
    // 42["chat", …] or 42/admin,["chat", …]: the event's name.
    const event = packet === 'EVENT' ? /^\d\d(?:\/[^,]*,)?\d*\["((?:[^"\\]|\\.){0,200})"/.exec(text)?.[1] : undefined;
    return cut(`socket.io ${packet}${event !== undefined ? ` ${event}` : ''}`);
  },
  mqtt: (op, bytes) => (op === 'binary' && bytes ? (MQTT[bytes.charCodeAt(0) >> 4] ?? null) : null),
  stomp: (op, text) => {
    if (op !== 'text') return null;
    if (/^[\r\n]+$/.test(text)) return 'heart-beat';
    const command = /^([A-Z]{3,12})\r?\n/.exec(text)?.[1];
    return command ?? null;
  },
  'graphql-ws': (op, text) => {
    const type = op === 'text' ? jsonObject(text)?.type : undefined;
    return typeof type === 'string' ? cut(type) : null;
  },
  'json-rpc': (op, text) => {
    const m = op === 'text' ? jsonObject(text) : null;
    if (!m) return null;
    if (typeof m.method === 'string') return cut(`${m.id === undefined ? 'notification' : 'call'} ${m.method}`);
    const id = typeof m.id === 'number' || typeof m.id === 'string' ? ` #${m.id}` : '';
    if ('error' in m) return cut(`error${id}`);
    return 'result' in m ? cut(`result${id}`) : null;
  },
};

/** The frame's name in its protocol, or null (plain WebSocket, or not a frame the protocol names). `payload` is text, or the bytes as latin1. */
export function frameLabel(protocol: AppProtocolName | undefined, op: FrameOp, payload: string): string | null {
  return protocol ? LABELLERS[protocol](op, payload) : null;
}
