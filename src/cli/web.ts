// `wsmon web`: the window in a browser. Serves the built renderer and the API
// on 127.0.0.1 and prints the one address to open.
import { LogReplay } from '../core/replay';
import { ENDPOINT_OPTIONS, endpointsFromCli, endpointTemplate, parseCli, portFlag, UsageError } from './args';
import { startBridge } from './bridge';
import { readConfigFile } from './config';
import { DemoLab } from '../lab/demo';
import { RENDERER_DIR } from './serve-web';
import { startSession } from './session';

export const WEB_HELP = `usage: wsmon web [[name=]<ws-url>...] [--config FILE] [--port N] [--log FILE] [endpoint options]
       wsmon web --open SESSION.jsonl [--port N]

Serves the wsmon window on http://127.0.0.1:PORT (port 0, the default, picks a
free one) and prints one line, "wsmon web: http://127.0.0.1:PORT/#token=TOKEN".
Open it in a browser; the token guards the API. Runs until Ctrl-C.
Endpoint options are those of wsmon watch (see wsmon watch --help).
With --open, the window shows a past session log instead, read-only.
`;

export async function web(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv, {
    ...ENDPOINT_OPTIONS,
    config: { type: 'string' },
    port: { type: 'string' },
    log: { type: 'string' },
    open: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(WEB_HELP);
    return 0;
  }
  const port = portFlag(values.port);
  if (values.open !== undefined) return openPast(values.open, port, positionals.length > 0 || values.config !== undefined);
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
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await bridge.close();
  return 0;
}
