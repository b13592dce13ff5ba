// `wsmon lab`: a misbehaving server for trying wsmon out (and for benchmarks).
import { Lab } from '../lab/server';
import { parseCli, portFlag } from './args';

export const LAB_HELP = `usage: wsmon lab [--port N]

Starts a WebSocket server on 127.0.0.1 that misbehaves as each URL's query asks,
prints "wsmon lab: ws://127.0.0.1:PORT/" and runs until Ctrl-C. Query keys:
pongDelay, pongJitter, dropEvery, silentAfter, closeAfter, closeCode, closeReason,
dropAfter, refuse, hang, flap, flood, floodSize, oversized, invalidFrame,
appPing, appPong, serverPing, tick. Example: ws://127.0.0.1:PORT/?pongDelay=100
`;

export async function lab(argv: string[]): Promise<number> {
  const { values } = parseCli(argv, { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(LAB_HELP);
    return 0;
  }
  const server = await new Lab().start(portFlag(values.port));
  process.stdout.write(`wsmon lab: ${server.url('/')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
