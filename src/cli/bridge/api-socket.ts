// MonitorApi over a WebSocket: one JSON request {id, method, payload} per
// message, one answer {id, answer} each, and pushes ({update} or {command})
// to every client; each client's updates are its own (what its window shows). A client that stops reading is cut off once its unread
// answers pass a bound (its socket is dropped), instead of growing the
// server's memory for as long as it stays connected.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiHandler } from '../../core/app/api-handler';
import type { ClientView } from '../../core/app/client-view';
import type { Batch } from '../../core/app/updates';
import type { Push } from '../../shared/api';

/** One client's calls and, where the session is live, what its window shows. */
export interface Client {
  handle: ApiHandler;
  view: ClientView | null;
}

/** Largest API message accepted from a browser. */
const MAX_MESSAGE = 1024 * 1024;
/** Unread bytes a client may leave queued before it is disconnected. */
export const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

export class ApiSocket {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  private readonly clients = new Map<WebSocket, Client>();

  constructor(private readonly connect: () => Client) {}

  /** Takes over an upgrade the bridge has already checked (path, Host, Origin, token). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws));
  }

  broadcast(push: Push): void {
    if (!this.clients.size) return;
    const text = JSON.stringify(push);
    for (const ws of this.clients.keys()) this.send(ws, text);
  }

  /** Each client's part of a batch of changes. */
  updates(batch: Batch): void {
    for (const [ws, c] of this.clients) {
      const update = c.view?.update(batch);
      if (update) this.send(ws, JSON.stringify({ update } satisfies Push));
    }
  }

  close(): void {
    for (const ws of this.clients.keys()) ws.terminate();
    this.wss.close();
  }

  private serve(ws: WebSocket): void {
    const client = this.connect();
    this.clients.set(ws, client);
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => {});
    ws.on('message', async (data, isBinary) => {
      let msg: { id?: unknown; method?: unknown; payload?: unknown };
      try {
        if (isBinary) throw new Error('binary');
        msg = JSON.parse(data.toString()) as typeof msg;
        if (!msg || typeof msg !== 'object') throw new Error('not an object');
      } catch {
        this.send(
          ws,
          JSON.stringify({
            id: null,
            answer: { ok: false, error: { code: 'INVALID_REQUEST', message: 'a request must be a JSON object {id, method, payload}' } },
          }),
        );
        return;
      }
      const answer = await client.handle(msg.method, msg.payload);
      this.send(ws, JSON.stringify({ id: msg.id ?? null, answer }));
    });
  }

  private send(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount + text.length > MAX_UNREAD_BYTES) {
      // Cut off at once: a close frame would wait behind everything it has not read.
      this.clients.delete(ws);
      ws.terminate();
      return;
    }
    ws.send(text);
  }
}
