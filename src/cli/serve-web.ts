// `--web HOST:PORT` for run and demo: the window, served by the bridge, on a loopback address only.
import { fileURLToPath } from 'node:url';
import type { Session } from '../core/app/session';
import { hostPortFlag } from './args';
import { UsageError } from '../shared/errors';
import { startBridge, type Bridge } from './bridge';
import { isLoopback } from './loopback';

export const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));

/** Starts the bridge and says its one line (`announce`: kept above a live table); refuses a non-loopback host (the bridge controls the monitor). */
export async function serveWeb(flag: string, session: Session, announce: (line: string) => void): Promise<Bridge> {
  const { host, port } = hostPortFlag('--web', flag);
  if (!isLoopback(host)) throw new UsageError(`--web serves on 127.0.0.1, localhost or ::1 only (got "${host}"): the page can control the monitor`);
  const bridge = await startBridge({ source: { session }, staticDir: RENDERER_DIR, host, port });
  announce(`wsmon web: ${bridge.url}`);
  return bridge;
}
