// `wsmon demo`: local servers that misbehave in every way wsmon knows, monitored at once.
import { DEMO_SCENARIOS, DemoLab } from '../lab/demo';
import { parseEndpoint } from '../shared/config';
import { parseCli, SESSION_OPTIONS } from './args';
import { serveWeb } from './serve-web';
import { defaultView, sessionFlags, startHeadless } from './headless';

export const DEMO_HELP = `usage: wsmon demo [--json] [--web HOST:PORT] [--metrics HOST:PORT] [--duration D]

Starts local lab servers on 127.0.0.1 and monitors one endpoint per scenario:
${DEMO_SCENARIOS.map((s) => `  ${s.name.padEnd(18)} ${s.expect}`).join('\n')}
The servers stop when the demo does (Ctrl-C).
`;

export async function demo(argv: string[]): Promise<number> {
  const { values } = parseCli(argv, { ...SESSION_OPTIONS, web: { type: 'string' } });
  if (values.help) {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  const lab = new DemoLab();
  const endpoints = (await lab.endpoints()).map(parseEndpoint);
  const run = await startHeadless({ ...sessionFlags(values, defaultView(values)), endpoints, demo: () => lab.endpoints() });
  const bridge = values.web !== undefined ? await serveWeb(values.web, run.session, run.announce) : null;
  await run.done;
  await bridge?.close();
  await lab.stop();
  return 0;
}
