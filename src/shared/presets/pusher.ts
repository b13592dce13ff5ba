// Pusher Channels protocol 7.
import { definePreset } from './preset';

export const pusher = definePreset({
  name: 'pusher',
  label: 'Pusher',
  how: 'up after `pusher:connection_established`; heartbeat `pusher:ping` answered by `pusher:pong`; `pusher:error` is a refusal',
  exampleUrl: 'wss://ws-eu.pusher.com/app/APP_KEY?protocol=7&client=wsmon&version=1.0',
  settings: {
    heartbeat: {
      mode: 'message',
      intervalMs: '60s',
      timeoutMs: '30s',
      payload: '{"event":"pusher:ping","data":{}}',
      match: { kind: 'json', path: 'event', equals: 'pusher:pong' },
    },
    onOpen: { ack: { kind: 'json', path: 'event', equals: 'pusher:connection_established' }, refuse: { kind: 'json', path: 'event', equals: 'pusher:error' } },
  },
});
