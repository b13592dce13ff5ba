// `wsmon web`: the window in a browser. Serves the built renderer and the API
// on 127.0.0.1 and prints the one address to open.
import { resolve } from 'node:path';
import type { EndpointSettings } from '../shared/config';
import { FileGateError } from '../core/files/gate';
import { LogReplay } from '../core/log/replay';
import { ENDPOINT_OPTIONS, endpointsFromCli, endpointTemplate, HISTORY_DAYS_HELP, historyDaysFlag, parseCli, portFlag } from './args';
import { fileErrorText, UsageError } from '../shared/errors';
import { startBridge } from './bridge';
import { readConfigEndpoints } from './config';
import { DemoLab } from '../lab/demo';
import { RENDERER_DIR } from './serve-web';
import { startHeadless, type HeadlessOptions } from './headless';

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

${HISTORY_DAYS_HELP}
                             (with --data: the window's Settings, History kept)
`;

export async function web(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv, {
    ...ENDPOINT_OPTIONS,
    config: { type: 'string' },
    port: { type: 'string' },
    log: { type: 'string' },
    'history-days': { type: 'string' },
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
    if (positionals.length || values.config !== undefined || values.log !== undefined || values['history-days'] !== undefined)
      throw new UsageError('--data keeps its own endpoints, settings and session logs; it cannot be combined with URLs, --config, --log or --history-days');
    await serveLive(
      { view: 'none', dataDir: resolve(values.data), applies: ['logRtt', 'logKeepDays', 'logKeepMiB', 'historyDays', 'notifications', 'muted', 'channels'] },
      port,
    );
    return 0;
  }
  const endpoints = [...(values.config ? readConfigEndpoints(values.config) : []), ...endpointsFromCli(positionals, endpointTemplate(values))];
  await serveLive({ view: 'none', log: values.log, historyDays: historyDaysFlag(values['history-days']) }, port, endpoints);
  return 0;
}

/**
 * The window over a live session until Ctrl-C: given endpoints and an optional
 * log, or (with `dataDir`) the desktop app's data folder.
 */
async function serveLive(opts: HeadlessOptions, port: number, endpoints: EndpointSettings[] = []): Promise<void> {
  const demo = new DemoLab();
  const run = await startHeadless({ ...opts, endpoints, demo: () => demo.endpoints() });
  const bridge = await startBridge({ source: { session: run.session }, staticDir: RENDERER_DIR, port });
  process.stdout.write(`wsmon web: ${bridge.url}\n`);
  await run.done;
  await bridge.close();
  await demo.stop();
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
    throw new UsageError(`--open: ${e instanceof FileGateError ? e.message : `cannot read the log "${path}" (${fileErrorText(e)})`}`);
  }
  const bridge = await startBridge({ source: { replay }, staticDir: RENDERER_DIR, port });
  process.stdout.write(`wsmon web: ${bridge.url}\n`);
  await untilSignal();
  await bridge.close();
  return 0;
}
