// The headless face: the same engine without Electron.
import { APP_VERSION } from '../shared/app';
import { restoreHangup } from './held-signals';
import { UsageError } from '../shared/errors';
import { FileGateError } from '../core/files/gate';
import { lab } from './lab';
import { channelsCommand } from './channels';
import { historyCommand } from './history';
import { demo } from './demo';
import { exportCommand } from './export';
import { run } from './run';
import { watch } from './watch';
import { web } from './web';
import { boundHeapGrowth } from '../core/app/heap-growth';

const HELP = `wsmon ${APP_VERSION} — monitor WebSocket connections

usage: wsmon <command> [options]

commands:
  watch <url>...   monitor URLs until Ctrl-C or --duration (wsmon watch --help)
  run --config F   monitor a config file's endpoints; SIGHUP reloads (wsmon run --help)
  demo             local misbehaving servers, monitored at once (wsmon demo --help)
  web [<url>...]   the wsmon window in a browser, on 127.0.0.1 (wsmon web --help)
  export <log>     a session log as JSON, CSV or an HTML report (wsmon export --help)
  channels         send a test notice to alert channels (wsmon channels --help)
  history --data D what a data folder remembers: uptime 24 h to 90 d (wsmon history --help)
  lab              start a misbehaving lab server on 127.0.0.1 (wsmon lab --help)
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  watch,
  run,
  web,
  demo,
  export: exportCommand,
  lab,
  channels: channelsCommand,
  history: historyCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`wsmon: unknown command "${command}" (try wsmon --help)\n`);
    return 2;
  }
  if (command !== 'run') {
    restoreHangup();
    endLikeSigterm('SIGHUP');
  }
  try {
    return await run(rest);
  } catch (e) {
    // A file wsmon will not touch (a symlink, a device, a FIFO …) is the user's to fix, like a mistyped flag: one sentence, exit 2.
    if (e instanceof UsageError || e instanceof FileGateError) {
      process.stderr.write(`wsmon ${command}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`wsmon ${command}: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}

/**
 * For commands that do not reload, a hangup (the terminal closed) ends the
 * command as SIGTERM does: the log flushed, session-end written. Where nothing
 * listens for SIGTERM (export), it ends at once.
 */
function endLikeSigterm(signal: 'SIGHUP'): void {
  process.on(signal, () => (process.listenerCount('SIGTERM') > 0 ? process.emit('SIGTERM') : process.exit(128 + 1)));
}

/** A reader that went away (`wsmon export log | head -c 10`, a closed terminal) ends the command quietly, once, like SIGTERM. */
let stdoutGone = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE' && e.code !== 'EIO') throw e;
  if (stdoutGone) return;
  stdoutGone = true;
  if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM');
  else process.exit(0);
});

boundHeapGrowth();
// No process.exit on success: a clean stop leaves nothing running, so Node exits by itself.
main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`wsmon: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
