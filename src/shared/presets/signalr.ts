// ASP.NET SignalR, JSON hub protocol: records end with 0x1E; type 6 is a ping.
import { definePreset } from './preset';

export const signalr = definePreset({
  name: 'signalr',
  label: 'ASP.NET SignalR (JSON hub protocol)',
  how: 'sends `{"protocol":"json","version":1}␞` and waits for `{}␞`; `{"error":…}` is a refusal; replies to the server\'s type-6 pings (keeping its 30 s client timeout met); RTT from ping frames',
  exampleUrl: 'wss://app.example/hubs/chat',
  settings: {
    heartbeat: { mode: 'ping', intervalMs: '15s', timeoutMs: '5s' },
    onOpen: {
      send: ['{"protocol":"json","version":1}\u001e'],
      ack: { kind: 'regex', pattern: '^\\{\\}\u001e' },
      refuse: { kind: 'regex', pattern: '^\\{"error":' },
    },
    replies: [{ match: { kind: 'regex', pattern: '\\{"type":6\\}' }, send: '{"type":6}\u001e' }],
  },
});
