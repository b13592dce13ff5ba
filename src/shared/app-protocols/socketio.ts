// Socket.IO 3/4 over Engine.IO 4: open packet, namespace CONNECT (with an auth
// payload) and its ack; the server pings ("2"), the client answers ("3").
import { z } from 'zod';
import { boundedText, LIMITS } from '../limits';
import { defineProtocol, jsonObject } from './definition';

/** Socket.IO's endpoint when the URL is a bare origin: ws://host:port/ becomes ws://host:port/socket.io/?EIO=4&transport=websocket. */
export function socketIoUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname !== '/' || u.search) return url;
  u.pathname = '/socket.io/';
  u.search = '?EIO=4&transport=websocket';
  return u.toString();
}

export const socketio = defineProtocol({
  name: 'socketio',
  label: 'Socket.IO 3/4 (Engine.IO 4)',
  subprotocols: [],
  schema: z
    .object({
      name: z.literal('socketio'),
      namespace: boundedText('Socket.IO namespace', LIMITS.textChars)
        .regex(/^\/[^,\s]*$/, { error: 'a Socket.IO namespace starts with / and has no comma or space, such as / or /admin' })
        .default('/'),
      /** Sent with the namespace CONNECT packet (socket.handshake.auth on the server). */
      auth: jsonObject('Socket.IO auth').optional(),
    })
    .strict(),
  settings: [
    { path: 'namespace', kind: 'text', group: 'basic', label: 'Namespace', help: 'the namespace to join', flag: 'namespace', arg: '/NSP' },
    {
      path: 'auth',
      kind: 'json',
      group: 'basic',
      label: 'Auth payload',
      help: 'JSON object sent when joining (socket.handshake.auth)',
      flag: 'auth',
      arg: 'JSON',
      secret: true,
      defaultText: 'none',
    },
  ],
  settleUrl: socketIoUrl,
});
