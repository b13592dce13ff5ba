// What this machine says of its own network, asked when endpoints fail
// together (shared/incidents.ts decides what it means): is an interface other
// than loopback up, does the kernel have a route to the addresses that failed,
// do the configured resolvers answer. Nothing is sent to the endpoints; the
// route is the kernel's answer to a UDP connect (no packet leaves), the
// resolver is asked one query with a short timeout.
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { LocalNetwork } from '../../shared/incidents';

/** How long the resolver may take to answer: a resolver on a working path answers in well under a second. */
const RESOLVER_TIMEOUT_MS = 1_000;
/** Errors that mean the kernel has no way there (not: the far end refused or was silent). */
const NO_ROUTE = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);
/** Answers that prove a resolver was reached (it said something, if only "no such name"). */
const ANSWERED = new Set(['ENOTFOUND', 'ENODATA', 'ESERVFAIL', 'EREFUSED', 'EFORMERR', 'ENOTIMP', 'EBADRESP']);

/** Whether an interface other than loopback is up (libuv lists only interfaces up and running). */
function interfaceUp(): boolean {
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => !i.internal));
}

/** Whether the kernel has a route to `address`: a UDP connect, which sends nothing. */
function routed(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    const done = (ok: boolean) => {
      socket.close();
      resolve(ok);
    };
    socket.once('error', (e: NodeJS.ErrnoException) => done(!NO_ROUTE.has(e.code ?? '')));
    socket.connect(9, address, () => done(true));
  });
}

/** Whether the configured resolvers answer one query (for the root's name servers: any resolver knows them, or says why not). */
async function resolver(): Promise<LocalNetwork['resolver']> {
  const r = new Resolver({ timeout: RESOLVER_TIMEOUT_MS, tries: 1 });
  if (r.getServers().length === 0) return 'none';
  // c-ares may go on past its timeout (one more server, one more family): the answer is bounded here, and the query cancelled.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'unreachable'>((resolve) => (timer = setTimeout(() => (r.cancel(), resolve('unreachable')), RESOLVER_TIMEOUT_MS)));
  const asked = r.resolveNs('.').then(
    (): LocalNetwork['resolver'] => 'reachable',
    (e: NodeJS.ErrnoException) => (ANSWERED.has(e.code ?? '') ? 'reachable' : 'unreachable'),
  );
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asks this machine about its network, for the addresses that failed (at most a few are asked). */
export async function checkLocalNetwork(addresses: string[]): Promise<LocalNetwork> {
  const asked = [...new Set(addresses.filter((a) => isIP(a)))].slice(0, 8);
  const [routes, answer] = await Promise.all([Promise.all(asked.map(routed)), resolver()]);
  return { interfaceUp: interfaceUp(), noRouteTo: asked.filter((_, i) => !routes[i]), resolver: answer };
}

export type LocalNetworkCheck = typeof checkLocalNetwork;
