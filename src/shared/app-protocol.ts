// Application protocols spoken on top of WebSocket: their names, their
// options (validated here, used by the engine's protocols/ folder) and what
// each one does to the URL and subprotocols it connects with.
import { z } from 'zod';
import { boundedText, jsonWithinBound, LIMITS } from './limits';

export const APP_PROTOCOLS = ['socketio', 'graphql-ws', 'mqtt', 'stomp', 'json-rpc'] as const;
export type AppProtocolName = (typeof APP_PROTOCOLS)[number];

export const APP_PROTOCOL_LABEL: Record<AppProtocolName, string> = {
  socketio: 'Socket.IO 3/4 (Engine.IO 4)',
  'graphql-ws': 'GraphQL over WebSocket (graphql-transport-ws)',
  mqtt: 'MQTT 3.1.1 / 5 over WebSocket',
  stomp: 'STOMP 1.2',
  'json-rpc': 'JSON-RPC 2.0',
};

/** The WebSocket subprotocol each protocol asks for when none is configured. */
export const APP_SUBPROTOCOL: Partial<Record<AppProtocolName, string[]>> = {
  'graphql-ws': ['graphql-transport-ws'],
  mqtt: ['mqtt'],
  stomp: ['v12.stomp', 'v11.stomp', 'v10.stomp'],
};

/** Fields holding credentials or tokens: sealed at rest and masked in shared config files. */
export const APP_PROTOCOL_SECRETS = ['auth', 'payload', 'password', 'passcode'] as const;

const jsonObject = (what: string) => z.record(z.string(), z.unknown(), { error: `${what} must be a JSON object such as {"token": "…"}` }).superRefine(jsonWithinBound(what));

export const appProtocolSchema = z.discriminatedUnion(
  'name',
  [
    z
      .object({
        name: z.literal('socketio'),
        namespace: boundedText('Socket.IO namespace', LIMITS.textChars).regex(/^\/[^,\s]*$/, { error: 'a Socket.IO namespace starts with / and has no comma or space, such as / or /admin' }).default('/'),
        /** Sent with the namespace CONNECT packet (socket.handshake.auth on the server). */
        auth: jsonObject('Socket.IO auth').optional(),
      })
      .strict(),
    z.object({ name: z.literal('graphql-ws'), /** The connection_init payload. */ payload: jsonObject('connection_init payload').optional() }).strict(),
    z
      .object({
        name: z.literal('mqtt'),
        version: z.union([z.literal(4), z.literal(5)], { error: 'MQTT version must be 4 (3.1.1) or 5' }).default(4),
        clientId: z.string().max(65_535).optional(),
        /** Seconds; the broker drops a client silent for 1.5 times this. */
        keepaliveS: z.number().int().min(0).max(65_535, { error: 'MQTT keep-alive must be at most 65535 s' }).default(60),
        username: z.string().max(65_535).optional(),
        password: z.string().max(65_535).optional(),
      })
      .strict(),
    z
      .object({
        name: z.literal('stomp'),
        /** The CONNECT frame's host header (a virtual host); the URL's host when absent. */
        host: boundedText('STOMP host', LIMITS.textChars).min(1).optional(),
        login: boundedText('STOMP login', LIMITS.textChars).optional(),
        passcode: boundedText('STOMP passcode', LIMITS.textChars).optional(),
        /** The heart-beat period offered both ways; the server's CONNECTED decides. 0 turns STOMP heart-beats off. */
        heartBeatMs: z.number().int().min(0).max(3_600_000).default(10_000),
      })
      .strict(),
    z
      .object({
        name: z.literal('json-rpc'),
        method: boundedText('JSON-RPC method', LIMITS.textChars).min(1, { error: 'JSON-RPC needs a method to call as the heartbeat (--rpc-method)' }),
        params: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())], { error: 'JSON-RPC params must be a JSON array or object' }).superRefine(jsonWithinBound('JSON-RPC params')).optional(),
      })
      .strict(),
  ],
  { error: `application protocol must be one of ${APP_PROTOCOLS.join(', ')}` },
);
export type AppProtocolConfig = z.infer<typeof appProtocolSchema>;

/** Socket.IO's endpoint when the URL is a bare origin: ws://host:port/ becomes ws://host:port/socket.io/?EIO=4&transport=websocket. */
export function socketIoUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname !== '/' || u.search) return url;
  u.pathname = '/socket.io/';
  u.search = '?EIO=4&transport=websocket';
  return u.toString();
}
