// Session-log exports for a browser: the API (token-guarded) hands out a
// random address; the HTTP side serves it once, within a minute. A HEAD looks
// without using it up.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportLog } from '../../core/log/export';
import { EXPORT_FORMAT_INFO, type ExportFormat } from '../../shared/export-format';
import { refuse } from './static';

/** How long a download address stays valid (it is also single-use). */
const DOWNLOAD_TTL_MS = 60_000;
const PATH = /^\/export\/([A-Za-z0-9_-]+)$/;

export class Downloads {
  private readonly pending = new Map<string, { format: ExportFormat; expires: number }>();

  constructor(private readonly logPath: string) {}

  /** A fresh single-use address for an export of the log. */
  offer(format: ExportFormat): string {
    const id = randomBytes(18).toString('base64url');
    this.pending.set(id, { format, expires: Date.now() + DOWNLOAD_TTL_MS });
    return `/export/${id}`;
  }

  /** Serves the request if it is for an export address; false when it is not one. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const m = PATH.exec(req.url ?? '');
    if (!m) return false;
    const d = this.pending.get(m[1]!);
    if (!d || d.expires < Date.now()) {
      this.pending.delete(m[1]!);
      refuse(res, 404, 'no such export (they are single-use and expire after a minute)');
      return true;
    }
    res.writeHead(200, {
      'Content-Type': EXPORT_FORMAT_INFO[d.format].mime,
      'Content-Disposition': `attachment; filename="wsmon-session.${d.format}"`,
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    this.pending.delete(m[1]!);
    exportLog(this.logPath, res, { format: d.format }).then(
      () => res.end(),
      () => res.destroy(),
    );
    return true;
  }
}
