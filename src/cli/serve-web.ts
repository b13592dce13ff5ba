// `--web HOST:PORT` for run and demo: the window, served by the bridge, on a loopback address only.
import { fileURLToPath } from 'node:url';
import type { EndpointConfigInput } from '../shared/config';
import type { Monitor } from '../core/engine/monitor';
import { hostPortFlag, UsageError } from './args';
import { startBridge, type Bridge } from './bridge';

export const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Starts the bridge and prints its one line; refuses a non-loopback host (the bridge controls the monitor). */
export async function serveWeb(flag: string, monitor: Monitor, demo?: () => Promise<EndpointConfigInput[]>, logPath?: string): Promise<Bridge> {
  const { host, port } = hostPortFlag('--web', flag);
  if (!LOOPBACK.has(host)) throw new UsageError(`--web serves on 127.0.0.1, localhost or ::1 only (got "${host}"): the page can control the monitor`);
  const bridge = await startBridge({ monitor, staticDir: RENDERER_DIR, host, port, demo, logPath });
  process.stderr.write(`wsmon web: ${bridge.url}\n`);
  return bridge;
}
