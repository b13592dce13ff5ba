// A feed that sends data only once subscribed: subscribe on open, expect data.
import { definePreset } from './preset';

export const subscribeFeed = definePreset({
  name: 'subscribe-feed',
  label: 'A feed that needs a subscribe message',
  how: "sends the subscribe message, waits for `subscribed`, and expects `ticker` data every 5 s, else stale (change the message and rules to your feed's)",
  exampleUrl: 'wss://feed.example/v1',
  settings: {
    onOpen: { send: ['{"op":"subscribe","channel":"ticker"}'], ack: { kind: 'json', path: 'op', equals: 'subscribed' } },
    freshness: { everyMs: '5s', match: { kind: 'json', path: 'channel', equals: 'ticker' } },
  },
});
