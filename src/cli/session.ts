// Runs a monitoring session for a CLI command: prints events, appends them to
// a log, and ends cleanly on Ctrl-C, SIGTERM or after --duration.
import type { WsmonEvent } from '../shared/events';
import { Monitor } from '../core/monitor';
import { SessionLogWriter } from '../core/session-log';
import { formatEvent } from './format';

export interface SessionOptions {
  json: boolean;
  /** Print events at all (false when another view owns the terminal). */
  print?: boolean;
  log?: string;
  durationMs?: number;
}

export interface Session {
  monitor: Monitor;
  /** Resolves after session-end has been written everywhere. */
  done: Promise<void>;
  end(): Promise<void>;
}

export function startSession(opts: SessionOptions, monitor = new Monitor()): Session {
  const log = opts.log ? new SessionLogWriter(opts.log) : null;
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const names = new Map<string, string>();
  let print = opts.print ?? true;
  // A reader that goes away (`wsmon watch --json | head`) ends the session instead of crashing it.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    print = false;
    if (e.code === 'EPIPE') void end();
  });
  monitor.on((e: WsmonEvent) => {
    if (e.type === 'endpoint-added' || e.type === 'endpoint-updated') names.set(e.endpoint!, e.name);
    log?.write(e);
    if (print) process.stdout.write(`${opts.json ? JSON.stringify(e) : formatEvent(e, names, colour)}\n`);
  });
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let ending: Promise<void> | null = null;
  const end = () =>
    (ending ??= (async () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await monitor.stop();
      log?.close();
      resolveDone();
    })());
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(130); // a second Ctrl-C means "now"
    void end();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const timer = opts.durationMs !== undefined ? setTimeout(() => void end(), opts.durationMs) : null;
  monitor.start();
  return { monitor, done, end };
}
