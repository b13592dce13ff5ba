// Picks the transport: Electron's preload bridge when present, else the web
// bridge's WebSocket. The rest of the renderer only sees MonitorApi.
import type { Envelope, Push } from '../../../shared/api';
import { apiOver, type MonitorApi, type RawTransport } from '../../../shared/transport';

declare global {
  interface Window {
    wsmon?: RawTransport;
  }
}

export function connectApi(): MonitorApi {
  return apiOver(window.wsmon ?? webBridge());
}

/** MonitorApi over the web bridge's WebSocket; the token comes from the page's #token= fragment. */
function webBridge(): RawTransport {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, (e: Envelope) => void>();
  const listeners = new Set<(p: Push) => void>();
  let nextId = 1;
  let socket: Promise<WebSocket> | null = null;
  // Once lost, the bridge is not dialled again: a restarted `wsmon web` has a new address and token.
  let lost = false;
  const LOST = 'connection to the wsmon bridge was lost; restart `wsmon web` and open the address it prints';

  const connect = (): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      let opened = false;
      ws.onopen = () => {
        opened = true;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('cannot reach the wsmon bridge (is `wsmon web` still running, and is the #token in the address right?)'));
      ws.onclose = () => {
        lost = opened;
        socket = null;
        for (const [, done] of pending) done({ ok: false, error: { code: 'INTERNAL', message: LOST } });
        pending.clear();
        bridgeLost();
      };
      ws.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as { id?: number; answer?: Envelope } | Push;
        if ('update' in msg || 'command' in msg) for (const l of listeners) l(msg);
        else if (typeof msg.id === 'number') {
          pending.get(msg.id)?.(msg.answer!);
          pending.delete(msg.id);
        }
      };
    });
  const open = (): Promise<WebSocket> => (lost ? Promise.reject(new Error(LOST)) : (socket ??= connect()));

  return {
    async call(method, payload) {
      const ws = await open();
      const id = nextId++;
      return new Promise<Envelope>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, payload }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      void open().catch(() => {});
      return () => listeners.delete(listener);
    },
  };
}

/** Tells the page the bridge went away, so it can say so instead of showing stale data. */
function bridgeLost(): void {
  window.dispatchEvent(new CustomEvent('wsmon-bridge-lost'));
}
