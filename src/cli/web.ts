// `wsmon web`: the window in a browser. Serves the built renderer and the API
// on 127.0.0.1 and prints the one address to open.
import { resolve } from 'node:path';
import { AppSession } from '../core/app/session';
import { LogReplay } from '../core/log/replay';
import { ENDPOINT_OPTIONS, endpointsFromCli, endpointTemplate, parseCli, portFlag, UsageError } from './args';
import { startBridge } from './bridge';
import { readConfigFile } from './config';
import { DemoLab } from '../lab/demo';
import { RENDERER_DIR } from './serve-web';
import { startSession } from './session';

export const WEB_HELP = `usage: wsmon web [[name=]<ws-url>...] [--config FILE] [--port N] [--log FILE] [endpoint options]
       wsmon web --data DIR [--port N]
       wsmon web --open SESSION.jsonl [--port N]

Serves the wsmon window on http://127.0.0.1:PORT (port 0, the default, picks a
free one) and prints one line, "wsmon web: http://127.0.0.1:PORT/#token=TOKEN".
Open it in a browser; the token guards the API. Runs until Ctrl-C.
Endpoint options are those of wsmon watch (see wsmon watch --help).
With --data, the window works like the desktop app: endpoints and settings
are saved in DIR (endpoints.json, settings.json), each run writes a session
log to DIR/sessions/, and down/recovered notices appear in the window.
With --open, the window shows a past session log instead, read-only.
`;

export async function web(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv, {
    ...ENDPOINT_OPTIONS,
    config: { type: 'string' },
    port: { type: 'string' },
    log: { type: 'string' },
    open: { type: 'string' },
    data: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(WEB_HELP);
    return 0;
  }
  const port = portFlag(values.port);
  if (values.open !== undefined) return openPast(values.open, port, positionals.length > 0 || values.config !== undefined);
  if (values.data !== undefined) {
    if (positionals.length || values.config !== undefined || values.log !== undefined) throw new UsageError('--data keeps its own endpoints and session logs; it cannot be combined with URLs, --config or --log');
    return serveApp(values.data, port);
  }
  const endpoints = [...(values.config ? readConfigFile(values.config) : []), ...endpointsFromCli(positionals, endpointTemplate(values))];
  const session = await startSession({ view: 'none', log: values.log });
  const demo = new DemoLab();
  const bridge = await startBridge({ monitor: session.monitor, staticDir: RENDERER_DIR, port, demo: () => demo.endpoints(), logPath: values.log });
  const ids = endpoints.map((e) => session.monitor.add(e, false).id);
  for (const id of ids) session.monitor.connect(id);
  process.stdout.write(`wsmon web: ${bridge.url}\n`);
  await session.done;
  await bridge.close();
  await demo.stop();
  return 0;
}

/** The desktop app's engine with its data folder, in a browser, until Ctrl-C. */
async function serveApp(dataDir: string, port: number): Promise<number> {
  const demo = new DemoLab();
  const session = new AppSession({ dataDir: resolve(dataDir), applies: ['logRtt', 'notifications', 'muted'], demo: () => demo.endpoints() });
  await session.start();
  const bridge = await startBridge({ session, staticDir: RENDERER_DIR, port });
  process.stdout.write(`wsmon web: ${bridge.url}\n`);
  await untilSignal();
  await bridge.close();
  await session.stop();
  await demo.stop();
  return 0;
}

function untilSignal(): Promise<void> {
  return new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** Shows a past session log, read-only, until Ctrl-C. */
async function openPast(path: string, port: number, alsoEndpoints: boolean): Promise<number> {
  if (alsoEndpoints) throw new UsageError('--open shows a past session log; it cannot be combined with URLs or --config');
  let replay: LogReplay;
  try {
    replay = await LogReplay.load(path);
  } catch (e) {
    throw new UsageError(`--open: cannot read the log "${path}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const bridge = await startBridge({ replay, staticDir: RENDERER_DIR, port });
  process.stdout.write(`wsmon web: ${bridge.url}\n`);
  await untilSignal();
  await bridge.close();
  return 0;
}
