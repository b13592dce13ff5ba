// The built renderer as static files: only files under the root, with a strict
// CSP and no caching.
import { closeSync, createReadStream, fstatSync } from 'node:fs';
import { openForStreaming } from '../../core/files/gate';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

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

export function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

/** Serves a GET or HEAD for a file under `root` (already resolved). */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
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
  let fd: number;
  try {
    // Through the file gate like every file read: a regular file, opened non-blocking.
    fd = openForStreaming(file, 'app file');
    size = fstatSync(fd).size;
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
  if (req.method === 'HEAD') {
    closeSync(fd);
    return void res.end();
  }
  createReadStream('', { fd }).pipe(res);
}
