// GraphQL over WebSocket, the graphql-transport-ws protocol (graphql-ws):
//   client: {"type":"connection_init","payload":…}
//   server: {"type":"connection_ack"}       or closes 4403 Forbidden, 4400 …
// The heartbeat is the protocol's own ping/pong: answers come in order, so a
// pong answers the oldest unanswered ping. The server's pings are answered.
import { closeCodeText } from '../errors';
import type { DriverFactory } from './driver';
import { messageText, quoted } from './payload';

/** The protocol's close codes (graphql-ws PROTOCOL.md), in words. */
const CLOSE_WORDS: Record<number, string> = {
  4400: 'the server found the connection_init invalid',
  4401: 'the server says the client is unauthorized',
  4403: 'the server refused the connection (forbidden): check connection_init payload credentials',
  4406: 'the server does not speak graphql-transport-ws',
  4408: 'the server timed out waiting for connection_init',
  4409: 'the server saw a second subscriber with the same id',
  4429: 'the server saw too many initialisation requests',
  4500: 'the server hit an internal error',
};

export const graphqlWs: DriverFactory = (cfg, port) => {
  const payload = cfg.appProtocol?.name === 'graphql-ws' ? cfg.appProtocol.payload : undefined;
  let acked = false;
  return {
    beats: 'message',
    open: () => port.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) })),
    ping: () => {},
    beat: () => port.send('{"type":"ping"}'),
    message(data, isBinary) {
      const text = messageText(data, isBinary);
      let type: unknown;
      try {
        type = (JSON.parse(text) as { type?: unknown } | null)?.type;
      } catch {
        type = undefined;
      }
      if (type === 'connection_ack' && !acked) {
        acked = true;
        return port.ready('connection_init acknowledged');
      }
      if (type === 'ping') return port.send('{"type":"pong"}');
      if (type === 'pong') return port.answer(null);
      if (!acked) return port.refuse('GRAPHQL_WS_UNEXPECTED', `expected connection_ack, got ${quoted(text)}`);
      port.data(text);
    },
    closeWords: (code, reason) => {
      const words = CLOSE_WORDS[code];
      return words ? `${words} (close ${closeCodeText(code, reason)})` : null;
    },
  };
};
