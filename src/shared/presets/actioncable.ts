// Rails ActionCable: welcome on connect, the server pings every 3 s, disconnect refuses.
import { definePreset } from './preset';

export const actioncable = definePreset({
  name: 'actioncable',
  label: 'Rails ActionCable',
  how: 'subprotocol `actioncable-v1-json`; up after `{"type":"welcome"}`; passive, with the server\'s `{"type":"ping"}` (every 3 s) as the only proof of life; `{"type":"disconnect"}` is a refusal',
  exampleUrl: 'wss://app.example/cable',
  settings: {
    protocols: ['actioncable-v1-json'],
    heartbeat: { mode: 'passive', intervalMs: '3s', timeoutMs: '3s', misses: 2, lifeMatch: { kind: 'json', path: 'type', equals: 'ping' } },
    onOpen: { ack: { kind: 'json', path: 'type', equals: 'welcome' }, refuse: { kind: 'json', path: 'type', equals: 'disconnect' } },
  },
});
