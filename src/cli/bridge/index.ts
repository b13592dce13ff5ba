// The web bridge: serves the built renderer over HTTP on 127.0.0.1 and
// MonitorApi over a WebSocket at /api, so the window runs in any browser.
// This file guards and routes; static.ts, api-socket.ts and downloads.ts serve.
//
// Guarded three ways: the API needs a random token (given to the page in the
// URL fragment, which browsers never send to servers or in Referer), the
// WebSocket's Origin must be this server, and every request's Host must name
// 127.0.0.1 or localhost with our port (no DNS rebinding).
import { hostAllowed, loopbackHosts } from '../loopback';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createReadOnlyApiHandler } from '../../core/app/api-handler';
import type { Session } from '../../core/app/session';
import { UpdateBatcher } from '../../core/app/updates';
import type { LogReplay } from '../../core/log/replay';
import { ApiSocket, type Client } from './api-socket';
import { ClientView } from '../../core/app/client-view';
import type { ExportFormat } from '../../shared/export-format';
import { Downloads } from './downloads';
import { refuse, serveStatic } from './static';

export { CSP } from './static';

export interface BridgeOptions {
  /** What the window shows: a live session, or a past session log read-only. */
  source: { session: Session } | { replay: LogReplay };
  /** Directory of the built renderer (out/renderer). */
  staticDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface Bridge {
  port: number;
  token: string;
  /** The address to open: http://127.0.0.1:PORT/#token=TOKEN */
  url: string;
  close(): Promise<void>;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.staticDir);
  if (!existsSync(join(root, 'index.html'))) throw new Error(`no built renderer in ${root} (run npm run build)`);
  const session = 'session' in opts.source ? opts.source.session : null;
  const downloads = session?.logPath ? new Downloads(session.logPath) : null;
  const exportLog = downloads
    ? async (format: ExportFormat) => {
        session!.flushLog();
        return { download: downloads.offer(format) };
      }
    : undefined;
  // Each browser tab its own view (what its window shows), and so its own updates.
  const api = new ApiSocket((): Client => {
    if (!session) return { handle: createReadOnlyApiHandler((opts.source as { replay: LogReplay }).replay), view: null };
    const view = new ClientView(session.records);
    return { handle: session.handler({ exportLog, view }), view };
  });
  let port = 0;
  const allowedOrigin = (origin: string | undefined) => [...loopbackHosts(port, host)].some((h) => origin === `http://${h}`);

  const http = createServer((req, res) => {
    if (!hostAllowed(req.headers.host, port, host)) return refuse(res, 421, 'wrong Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    if (downloads?.serve(req, res)) return;
    serveStatic(root, req, res);
  });
  http.on('upgrade', (req, socket, head) => {
    const reject = (status: number, text: string) => socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.on('error', () => {});
    const u = new URL(req.url ?? '/', 'http://bridge');
    if (u.pathname !== '/api') return reject(404, 'Not Found');
    if (!hostAllowed(req.headers.host, port, host)) return reject(421, 'Misdirected Request');
    if (!allowedOrigin(req.headers.origin)) return reject(403, 'Forbidden');
    if (!sameToken(u.searchParams.get('token') ?? '', token)) return reject(401, 'Unauthorized');
    api.accept(req, socket, head);
  });

  const batcher = session && new UpdateBatcher(session.monitor, (batch) => api.updates(batch));
  // No desktop here: down/recovered notices are shown in the window.
  const offNotices = session?.onNotice((notice) => api.broadcast({ command: { kind: 'notice', notice } }));
  const offHistory = session?.onHistoryProgress((command) => api.broadcast({ command }));
  const offChannels = session?.onChannels((channels) => api.broadcast({ command: { kind: 'channels', channels } }));

  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(opts.port ?? 0, host, () => ok());
  });
  port = (http.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/#token=${token}`,
    async close() {
      batcher?.stop();
      offNotices?.();
      offHistory?.();
      offChannels?.();
      api.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
