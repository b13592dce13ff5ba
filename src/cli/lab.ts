// `wsmon lab`: a misbehaving server for trying wsmon out (and for benchmarks).
import { Lab } from '../lab/server';
import { isIP } from 'node:net';
import { parseCli, portFlag } from './args';
import { UsageError } from '../shared/errors';

export const LAB_HELP = `usage: wsmon lab [--port N] [--host ADDR]

Starts a WebSocket server on 127.0.0.1 (or ADDR: an address of a test network
namespace of your own; the lab is no server for a real network) that misbehaves as each URL's query asks,
prints "wsmon lab: ws://127.0.0.1:PORT/" and runs until Ctrl-C. Query keys:
pongDelay, pongJitter, dropEvery, silentAfter, closeAfter, closeCode, closeReason,
dropAfter, refuse, hang, flap, flood, floodSize, oversized, invalidFrame,
appPing, appPong, serverPing, tick. Example: ws://127.0.0.1:PORT/?pongDelay=100
`;

export async function lab(argv: string[]): Promise<number> {
  const { values } = parseCli(argv, { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(LAB_HELP);
    return 0;
  }
  if (values.host !== undefined && isIP(values.host) === 0) throw new UsageError(`--host takes an IP address such as 10.231.0.2 (got "${values.host}")`);
  const server = await new Lab().start(portFlag(values.port), values.host);
  process.stdout.write(`wsmon lab: ${server.url('/')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
