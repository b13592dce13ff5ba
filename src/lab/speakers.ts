// Lab peers that speak a real service's protocol on top of WebSocket, written
// from each protocol's documentation, for the README's recipes: Phoenix
// Channels (V2 JSON serializer), Rails ActionCable, ASP.NET SignalR's JSON
// hub protocol, Pusher Channels, and a market-data feed that sends nothing
// until subscribed. Chosen with ?speaks=NAME; ?pingEvery=MS sets how often
// the server's own heartbeat or data goes out; ?reject=REASON makes the
// server refuse the client the protocol's way.
import type { WebSocket } from 'ws';

export interface SpeakerContext {
  ws: WebSocket;
  /** The server's own heartbeat or data period, ms. */
  pingEvery: number | undefined;
  reject: string | undefined;
  /** Calls fn every ms while the socket is open and the lab is not silenced. */
  every(ms: number, fn: () => void): void;
  /** Counts a heartbeat the server sent by itself. */
  serverPinged(): void;
}

type Speaker = (c: SpeakerContext) => void;

const onJson = (ws: WebSocket, fn: (msg: unknown, text: string) => void) =>
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    try {
      fn(JSON.parse(text), text);
    } catch {
      /* not JSON: a real server would ignore or close; ignoring keeps the lab simple */
    }
  });

/** Phoenix Channels, V2 JSON serializer: [join_ref, ref, topic, event, payload]; the client sends heartbeats on topic "phoenix". */
const phoenix: Speaker = ({ ws, every, pingEvery, reject }) => {
  onJson(ws, (msg) => {
    if (!Array.isArray(msg) || msg.length !== 5) return;
    const [joinRef, ref, topic, event] = msg as [string | null, string | null, string, string];
    // Keys in Phoenix's order (Jason sorts a small map's keys): response, then status.
    const reply = (status: string, response: object) => ws.send(JSON.stringify([joinRef, ref, topic, 'phx_reply', { response, status }]));
    if (topic === 'phoenix' && event === 'heartbeat') return reply('ok', {});
    if (event === 'phx_join') {
      if (reject || !topic.startsWith('room:')) return reply('error', { reason: reject ?? 'unmatched topic' });
      reply('ok', {});
      let n = 0;
      every(pingEvery ?? 1000, () => ws.send(JSON.stringify([joinRef, null, topic, 'tick', { n: ++n }])));
    }
  });
};

/** Rails ActionCable (actioncable-v1-json): welcome, a server ping every 3 s, subscribe confirmations. */
const actioncable: Speaker = ({ ws, every, pingEvery, reject, serverPinged }) => {
  if (reject) {
    ws.send(JSON.stringify({ type: 'disconnect', reason: reject, reconnect: false }));
    ws.close(1000);
    return;
  }
  ws.send(JSON.stringify({ type: 'welcome' }));
  every(pingEvery ?? 3000, () => {
    serverPinged();
    ws.send(JSON.stringify({ type: 'ping', message: Math.floor(Date.now() / 1000) }));
  });
  onJson(ws, (msg) => {
    const m = msg as { command?: string; identifier?: string };
    if (m.command !== 'subscribe' || typeof m.identifier !== 'string') return;
    const known = /"channel":"\w+Channel"/.test(m.identifier);
    ws.send(JSON.stringify({ identifier: m.identifier, type: known ? 'confirm_subscription' : 'reject_subscription' }));
  });
};

const RS = '\x1e';

/** ASP.NET Core SignalR, JSON hub protocol: a handshake, then messages ended by 0x1E; the server sends a ping (type 6) every 15 s. */
const signalr: Speaker = ({ ws, every, pingEvery, reject, serverPinged }) => {
  let handshaken = false;
  ws.on('message', (data) => {
    for (const text of data.toString().split(RS).filter(Boolean)) {
      let msg: { protocol?: string; version?: number; type?: number; invocationId?: string };
      try {
        msg = JSON.parse(text) as typeof msg;
      } catch {
        return;
      }
      if (!handshaken) {
        handshaken = true;
        const error = reject ?? (msg.protocol === 'json' && msg.version === 1 ? null : `The protocol '${msg.protocol}' is not supported.`);
        ws.send(JSON.stringify(error ? { error } : {}) + RS);
        if (error) return ws.close(1000);
        every(pingEvery ?? 15_000, () => {
          serverPinged();
          ws.send(JSON.stringify({ type: 6 }) + RS);
        });
      } else if (msg.type === 1 && msg.invocationId) {
        ws.send(JSON.stringify({ type: 3, invocationId: msg.invocationId, result: 'pong' }) + RS);
      }
    }
  });
};

/** Pusher Channels: connection_established with an activity timeout; pusher:ping is answered with pusher:pong. */
const pusher: Speaker = ({ ws, reject }) => {
  if (reject) {
    ws.send(JSON.stringify({ event: 'pusher:error', data: { code: 4001, message: reject } }));
    ws.close(4001, reject);
    return;
  }
  ws.send(JSON.stringify({ event: 'pusher:connection_established', data: JSON.stringify({ socket_id: '123.456', activity_timeout: 120 }) }));
  onJson(ws, (msg) => {
    const m = msg as { event?: string; data?: { channel?: string } };
    if (m.event === 'pusher:ping') ws.send(JSON.stringify({ event: 'pusher:pong', data: {} }));
    else if (m.event === 'pusher:subscribe') ws.send(JSON.stringify({ event: 'pusher_internal:subscription_succeeded', channel: m.data?.channel, data: '{}' }));
  });
};

/** A market-data feed: silent until {"op":"subscribe","channel":C}, then {"channel":C,"price":…} every pingEvery (100 ms). */
const feed: Speaker = ({ ws, every, pingEvery }) => {
  onJson(ws, (msg) => {
    const m = msg as { op?: string; channel?: string };
    if (m.op !== 'subscribe' || !m.channel) return;
    ws.send(JSON.stringify({ op: 'subscribed', channel: m.channel }));
    let price = 100;
    every(pingEvery ?? 100, () => ws.send(JSON.stringify({ channel: m.channel, price: (price += 0.25) })));
  });
};

export const SPEAKERS: Record<string, Speaker> = { phoenix, actioncable, signalr, pusher, feed };
