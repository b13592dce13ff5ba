// JSON-RPC 2.0: the heartbeat is a call to a chosen method, its id the beat's
// number, so each response is credited to exactly its call. An error response
// is a failed beat, reported with the server's code and message (a node that
// answers "header not found" is sick though its socket is fine).
// Notifications (no id) are application data.
import type { DriverFactory } from './driver';
import { messageText, quoted } from './payload';

interface Response {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown };
  method?: unknown;
}

export const jsonRpc: DriverFactory = (cfg, port) => {
  const opts = cfg.appProtocol?.name === 'json-rpc' ? cfg.appProtocol : { method: 'ping', params: undefined };
  const call = (seq: number) => JSON.stringify({ jsonrpc: '2.0', method: opts.method, ...(opts.params !== undefined ? { params: opts.params } : {}), id: seq });

  const onResponse = (r: Response, text: string) => {
    if (typeof r.id !== 'number') return port.data(text); // a notification, or an answer to no call of ours
    if (r.error && typeof r.error === 'object') {
      const code = typeof r.error.code === 'number' ? `${r.error.code} ` : '';
      return port.failBeat(r.id, `${opts.method} answered error ${code}${quoted(String(r.error.message ?? ''))}`);
    }
    if ('result' in r) return port.answer(r.id);
    port.data(text);
  };

  return {
    beats: 'message',
    open: () => port.ready(`heartbeat calls ${opts.method}`),
    ping: () => {},
    beat: (seq) => port.send(call(seq)),
    message(data, isBinary) {
      const text = messageText(data, isBinary);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return port.data(text);
      }
      for (const r of Array.isArray(parsed) ? parsed : [parsed]) {
        if (r && typeof r === 'object') onResponse(r as Response, text);
      }
    },
  };
};
