// The web bridge: serves the built renderer over HTTP on 127.0.0.1 and
// MonitorApi over a WebSocket at /api, so the window runs in any browser.
//
// Guarded three ways: the API needs a random token (given to the page in the
// URL fragment, which browsers never send to servers or in Referer), the
// WebSocket's Origin must be this server, and every request's Host must name
// 127.0.0.1 or localhost with our port (no DNS rebinding).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Update } from '../shared/api';
import { createReadOnlyApiHandler } from '../core/app/api-handler';
import type { LogReplay } from '../core/log/replay';
import type { Session } from '../core/app/session';
import { exportLog } from '../core/log/export';
import { EXPORT_FORMAT_INFO, type ExportFormat } from '../shared/export-format';
import { UpdateBatcher } from '../core/app/updates';

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Largest API message accepted from a browser. */
const MAX_MESSAGE = 1024 * 1024;

export interface BridgeOptions {
  /** What the window shows: a live session, or a past session log read-only. */
  source: { session: Session } | { replay: LogReplay };
  /** Directory of the built renderer (out/renderer). */
  staticDir: string;
  host?: string;
  port?: number;
  token?: string;
}

/** How long a download address from exportLog stays valid (it is also single-use). */
const DOWNLOAD_TTL_MS = 60_000;

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
  // Export downloads: the API (token-guarded) hands out a random single-use address; the HTTP side serves it once.
  const downloads = new Map<string, { format: ExportFormat; expires: number }>();
  const session = 'session' in opts.source ? opts.source.session : null;
  const logPath = session?.logPath;
  const exportLogOption = logPath
    ? async (format: ExportFormat) => {
        session!.flushLog();
        const id = randomBytes(18).toString('base64url');
        downloads.set(id, { format, expires: Date.now() + DOWNLOAD_TTL_MS });
        return { download: `/export/${id}` };
      }
    : undefined;
  const handle = session ? session.handler({ exportLog: exportLogOption }) : createReadOnlyApiHandler((opts.source as { replay: LogReplay }).replay);
  const clients = new Set<WebSocket>();
  let port = 0;

  const allowedHosts = () => new Set([`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const allowedOrigins = () => new Set([...allowedHosts()].map((h) => `http://${h}`));

  const http = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, 'wrong Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    const m = /^\/export\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '');
    if (m) {
      const d = downloads.get(m[1]!);
      downloads.delete(m[1]!);
      if (!d || d.expires < Date.now() || !logPath) return refuse(res, 404, 'no such export (they are single-use and expire after a minute)');
      res.writeHead(200, {
        'Content-Type': EXPORT_FORMAT_INFO[d.format].mime,
        'Content-Disposition': `attachment; filename="wsmon-session.${d.format}"`,
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      });
      exportLog(logPath, res, { format: d.format }).then(
        () => res.end(),
        () => res.destroy(),
      );
      return;
    }
    serveStatic(root, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });

  http.on('upgrade', (req, socket, head) => {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    socket.on('error', () => {});
    const u = new URL(req.url ?? '/', 'http://bridge');
    if (u.pathname !== '/api') return reject(404, 'Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return reject(421, 'Misdirected Request');
    if (!allowedOrigins().has(req.headers.origin ?? '')) return reject(403, 'Forbidden');
    if (!sameToken(u.searchParams.get('token') ?? '', token)) return reject(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveClient(ws));
  });

  function serveClient(ws: WebSocket): void {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => {});
    ws.on('message', async (data, isBinary) => {
      let msg: { id?: unknown; method?: unknown; payload?: unknown };
      try {
        if (isBinary) throw new Error('binary');
        msg = JSON.parse(data.toString()) as typeof msg;
        if (!msg || typeof msg !== 'object') throw new Error('not an object');
      } catch {
        ws.send(JSON.stringify({ id: null, answer: { ok: false, error: { code: 'INVALID_REQUEST', message: 'a request must be a JSON object {id, method, payload}' } } }));
        return;
      }
      const answer = await handle(msg.method, msg.payload);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id ?? null, answer }));
    });
  }

  const broadcast = (update: Update) => {
    if (!clients.size) return;
    const text = JSON.stringify({ update });
    for (const c of clients) if (c.readyState === c.OPEN) c.send(text);
  };
  const batcher = session && new UpdateBatcher(session.monitor, session.records, broadcast);
  // No desktop here: down/recovered notices are shown in the window.
  const offNotices = session?.onNotice((n) => broadcast({ nowMono: session.monitor.now(), endpoints: [], removed: [], events: [], rtt: {}, notices: [n] }));

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
      for (const c of clients) c.terminate();
      wss.close();
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

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://bridge').pathname);
  } catch {
    return refuse(res, 400, 'bad path');
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return refuse(res, 403, 'outside the app');
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return refuse(res, 404, 'not found');
    size = st.size;
  } catch {
    return refuse(res, 404, 'not found');
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
