// STOMP 1.2 (1.1, 1.0): CONNECT -> CONNECTED, heart-beats both ways, ERROR frames.
import { z } from 'zod';
import { boundedText, LIMITS } from '../limits';
import { APP_PASSWORD_ENV, defineProtocol } from './definition';

export const stomp = defineProtocol({
  name: 'stomp',
  label: 'STOMP 1.2',
  subprotocols: ['v12.stomp', 'v11.stomp', 'v10.stomp'],
  schema: z
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
  settings: [
    {
      path: 'host',
      kind: 'text',
      group: 'basic',
      label: 'Virtual host',
      help: "CONNECT's host header",
      flag: 'stomp-host',
      arg: 'HOST',
      defaultText: "the URL's host",
    },
    { path: 'login', kind: 'text', group: 'basic', label: 'Login', help: 'the STOMP login', flag: 'user', arg: 'NAME', defaultText: 'none' },
    {
      path: 'passcode',
      kind: 'secret',
      group: 'basic',
      label: 'Passcode',
      help: 'the STOMP passcode',
      env: APP_PASSWORD_ENV,
      secret: true,
      defaultText: 'none',
    },
    {
      path: 'heartBeatMs',
      kind: 'duration',
      group: 'basic',
      label: 'STOMP heart-beat',
      help: "offered both ways; the server's CONNECTED decides; 0 turns STOMP heart-beats off",
      flag: 'stomp-heart-beat',
      arg: 'D',
    },
  ],
});
