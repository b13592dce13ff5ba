// `wsmon run --config FILE`: headless monitoring from the app's config format,
// reloaded on SIGHUP.
import { reconcile } from '../core/app/reconcile';
import { takeHeldHups } from './held-signals';
import { CHANNEL_HELP, channelFlags, HISTORY_DAYS_HELP, parseCli, SESSION_OPTIONS } from './args';
import { UsageError } from '../shared/errors';
import { readConfig, readConfigSliced } from './config';
import { serveWeb } from './serve-web';
import { defaultView, sessionFlags, startHeadless } from './headless';

export const RUN_HELP = `usage: wsmon run --config FILE [--log FILE] [--metrics HOST:PORT] [--web HOST:PORT] [--json] [--duration D]

Monitors the endpoints of a config file ({"version": 1, "endpoints": [...]}, the
format the desktop app exports) until Ctrl-C or SIGTERM. On a terminal it shows a
live table; otherwise one line per event; --json prints the event lines.
SIGHUP reloads the file: changed endpoints restart, unchanged ones keep their
connection and history, removed ones stop, new ones start. A file with a problem
is reported on stderr and the running endpoints are kept.

  --config FILE          the endpoint list (required)
  --log FILE             append every event to FILE (JSON lines)
${HISTORY_DAYS_HELP}
  --metrics HOST:PORT    serve Prometheus metrics at http://HOST:PORT/metrics
  --probe NAME           this probe's name, a label on every series (default: \`probe\` in the
                         config file, else the host name); see deploy/ for many probes
  --web HOST:PORT        serve the window on a loopback address
  --json                 one JSON event per line on stdout
  --frames               also print every frame both ways as it is captured
  --frames-out FILE      at the end, write every endpoint's frames to FILE (HAR for *.har, else JSON lines)
  --duration D           stop after D
${CHANNEL_HELP}
                             (added to the config file's "channels")
`;

export async function run(argv: string[]): Promise<number> {
  // First of all: a SIGHUP during start-up (held by bin/wsmon.js until now) becomes a reload once running.
  let reload: (() => void) | null = null;
  let early = 0;
  const onHup = () => (reload ? reload() : early++);
  process.on('SIGHUP', onHup);
  early += takeHeldHups();
  try {
    return await runUntilDone(argv, (r) => {
      reload = r;
      if (early) {
        process.stderr.write(`wsmon run: SIGHUP during start-up: reloading now\n`);
        r();
      }
    });
  } finally {
    process.off('SIGHUP', onHup);
  }
}

async function runUntilDone(argv: string[], ready: (reload: () => void) => void): Promise<number> {
  const { values, positionals } = parseCli(argv, { ...SESSION_OPTIONS, config: { type: 'string' }, web: { type: 'string' } });
  if (values.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`run takes its endpoints from --config, not from arguments (got "${positionals[0]}")`);
  if (!values.config) throw new UsageError('run needs --config FILE (an endpoint list; see wsmon run --help)');
  const configPath = values.config;
  const { entries, probe, channels } = readConfig(configPath);
  const session = await startHeadless(sessionFlags({ probe, ...values }, defaultView(values), channels));
  const { monitor } = session.session;
  const bridge = values.web !== undefined ? await serveWeb(values.web, session.session, session.announce) : null;
  try {
    await reconcile(monitor, entries);
  } catch (e) {
    await session.end();
    await bridge?.close();
    throw new UsageError(`--config: ${configPath}: ${(e as Error).message}`);
  }

  let reloading = Promise.resolve();
  ready(() => {
    reloading = reloading.then(async () => {
      try {
        const file = await readConfigSliced(configPath);
        const r = await reconcile(monitor, file.entries);
        session.session.channels.set([...file.channels, ...channelFlags(values.channel)]);
        process.stderr.write(
          `wsmon run: reloaded ${configPath}: ${r.added.length} added, ${r.updated.length} changed, ${r.removed.length} removed, ${r.unchanged.length} unchanged\n`,
        );
      } catch (e) {
        process.stderr.write(`wsmon run: reload failed, keeping the running endpoints: ${(e as Error).message}\n`);
      }
    });
  });
  await session.done;
  await bridge?.close();
  return 0;
}
