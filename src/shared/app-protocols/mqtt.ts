// MQTT 3.1.1 and 5 over WebSocket: CONNECT -> CONNACK, PINGREQ/PINGRESP.
import { z } from 'zod';
import { formatDuration } from '../duration';
import { APP_PASSWORD_ENV, defineProtocol } from './definition';

export const mqtt = defineProtocol({
  name: 'mqtt',
  label: 'MQTT 3.1.1 / 5 over WebSocket',
  subprotocols: ['mqtt'],
  schema: z
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
  settings: [
    {
      path: 'version',
      kind: 'choice',
      group: 'basic',
      label: 'MQTT version',
      help: 'the protocol version (4 is 3.1.1)',
      flag: 'mqtt-version',
      arg: '4|5',
      choices: [
        { value: 4, label: '3.1.1' },
        { value: 5, label: '5' },
      ],
    },
    {
      path: 'clientId',
      kind: 'text',
      group: 'basic',
      label: 'Client id',
      help: 'the client id sent in CONNECT',
      flag: 'client-id',
      arg: 'ID',
      defaultText: 'wsmon-<random> per connection',
    },
    {
      path: 'keepaliveS',
      kind: 'seconds',
      group: 'basic',
      label: 'Keep-alive',
      help: 'announced in CONNECT; not shorter than the heartbeat interval',
      flag: 'keepalive',
      arg: 'D',
    },
    { path: 'username', kind: 'text', group: 'basic', label: 'Username', help: 'the MQTT username', flag: 'user', arg: 'NAME', defaultText: 'none' },
    {
      path: 'password',
      kind: 'secret',
      group: 'basic',
      label: 'Password',
      help: 'the MQTT password',
      env: APP_PASSWORD_ENV,
      secret: true,
      defaultText: 'none',
    },
  ],
  // The broker drops a client silent for 1.5 × keep-alive: PINGREQs (the heartbeat) must come more often.
  check: (p, endpoint) =>
    p.keepaliveS > 0 && p.keepaliveS * 1000 < endpoint.heartbeat.intervalMs
      ? {
          path: 'appProtocol.keepaliveS',
          message: `MQTT keep-alive (${formatDuration(p.keepaliveS * 1000)}) must not be shorter than the heartbeat interval, or the broker drops the client between PINGREQs`,
        }
      : null,
});
