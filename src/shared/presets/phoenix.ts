// Phoenix Channels (protocol vsn 2.0.0): messages are [join_ref, ref, topic, event, payload].
import { definePreset } from './preset';

export const phoenix = definePreset({
  name: 'phoenix',
  label: 'Phoenix Channels',
  how: 'message heartbeat `[null,"{seq}","phoenix","heartbeat",{}]` answered by `phx_reply` with the same ref; joins `room:lobby` on open and waits for `"status":"ok"`; an `"error"` join reply is a refusal',
  exampleUrl: 'wss://app.example/socket/websocket?vsn=2.0.0',
  settings: {
    heartbeat: {
      mode: 'message',
      intervalMs: '30s',
      timeoutMs: '10s',
      payload: '[null,"{seq}","phoenix","heartbeat",{}]',
      match: { kind: 'regex', pattern: '^\\[null,"{seq}","phoenix","phx_reply",\\{.*"status":"ok"' },
    },
    onOpen: {
      send: ['["1","1","room:lobby","phx_join",{}]'],
      ack: { kind: 'regex', pattern: '^\\["1","1","room:lobby","phx_reply",\\{.*"status":"ok"' },
      refuse: { kind: 'regex', pattern: '^\\["1","1","room:lobby","phx_reply",\\{.*"status":"error"' },
    },
  },
});
