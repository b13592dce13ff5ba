// One incident, not twenty: when endpoints that share something (the address
// they reach, their host name, their proxy, or nothing but this machine) go
// down together, that is one outage with one likely cause. Pure: the engine's
// side (core/app/incidents.ts) tracks who is down and asks the machine about
// its own network (core/app/local-network.ts); what that means is decided here.

/**
 * Endpoints that go down within this long of each other are taken to share a
 * cause. 5 s: a host or a path that dies resets or times out every socket on
 * it within the same heartbeat round (the lab measures 0.0–0.1 s for a killed
 * server), while a wider window starts to fold independent failures of a
 * large fleet into one story. Endpoints that go down later still join an
 * incident that is open and covers them.
 */
export const INCIDENT_WINDOW_MS = 5_000;

/** How many member ids an incident-start lists (its count is exact; every member gets an incident-joined). */
export const INCIDENT_LISTED = 20;

/** The incidents a session keeps in memory (the log keeps them all), and each one's members by id (its count is exact). */
export const INCIDENTS_KEPT = 100;
export const INCIDENT_MEMBERS_KEPT = 200;
/** The incidents an endpoint remembers it was part of. */
export const INCIDENTS_PER_ENDPOINT = 10;

/** An incident as the API, the window, the tray and the terminal show it. */
export interface IncidentView {
  id: string;
  scope: IncidentScope;
  key: string;
  cause: string;
  /** When its first member went down (session ms): its start. */
  sinceMono: number;
  /** When it was recognised (session ms), and the wall time then. */
  startMono: number;
  startTs: string;
  /** When its last member was back, or null while it is open. */
  endMono: number | null;
  count: number;
  /** Member ids (the first INCIDENT_MEMBERS_KEPT). */
  members: string[];
}

/** An open incident in one line, for the tray's tooltip, the terminal and the window: "incident (12 s): <cause>". */
export function incidentLine(inc: IncidentView, nowMono: number): string {
  return `incident (${Math.max(0, Math.round((nowMono - inc.sinceMono) / 1000))} s): ${inc.cause}`;
}

export const INCIDENT_SCOPES = ['address', 'host', 'proxy', 'all'] as const;
export type IncidentScope = (typeof INCIDENT_SCOPES)[number];

/** What an endpoint's connection goes through: what it may share with others. */
export interface Reach {
  /** The URL's host name (or literal address). */
  host: string;
  /** The server's IP address its last connect reached (null through a proxy or before one opened). */
  address: string | null;
  /** The proxy it goes through (credentials masked), or null. */
  proxy: string | null;
}

export interface Down {
  id: string;
  /** When its outage began, session ms. */
  at: number;
  reach: Reach;
  /** The server answered and said no (an HTTP refusal, a close with its own code): its side, not the path. */
  refused: boolean;
}

/** What this machine says of its own network, asked when endpoints fail together. */
export interface LocalNetwork {
  /** A network interface other than loopback is up and running. */
  interfaceUp: boolean;
  /** The endpoints' addresses the kernel has no route to. */
  noRouteTo: string[];
  /** The configured resolvers answered (any answer, a "no such name" too), did not, or none is configured. */
  resolver: 'reachable' | 'unreachable' | 'none';
}

export interface IncidentPlan {
  scope: IncidentScope;
  /** What they share, as a person reads it: `api.example.com (203.0.113.5)`, a proxy, `every endpoint`. */
  key: string;
  /** What a later endpoint must share to join: the address, host or proxy; '' for every endpoint. */
  match: string;
  members: string[];
  cause: string;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.|localhost$)/i;
export const isLoopback = (hostOrAddress: string): boolean => LOOPBACK.test(hostOrAddress.replace(/^\[|\]$/g, ''));

/** Whether an endpoint that went down belongs to an open incident. */
export function covers(incident: Pick<IncidentPlan, 'scope' | 'match'>, reach: Reach): boolean {
  switch (incident.scope) {
    case 'address':
      return reach.proxy === null && reach.address === incident.match;
    case 'host':
      return reach.host === incident.match;
    case 'proxy':
      return reach.proxy === incident.match;
    case 'all':
      return true;
  }
}

/** Every member's server answered and refused or closed: the path works, the trouble is on the server's side. */
const REFUSED = 'the server answers but refuses or closes them all: its side, not the path';

/** "0.8 s": how far apart the first and last of them went down. */
function within(downs: Down[]): string {
  const ats = downs.map((d) => d.at);
  return `${((Math.max(...ats) - Math.min(...ats)) / 1000).toFixed(1)} s`;
}

/** "a.example, b.example and 3 more" */
function listed(names: string[]): string {
  const unique = [...new Set(names)];
  return unique.length <= 3 ? unique.join(', ') : `${unique.slice(0, 3).join(', ')} and ${unique.length - 3} more`;
}

/** The downs that went over the network: endpoints on this machine's loopback fail for their own reasons. */
export function overTheNetwork(downs: Down[]): Down[] {
  return downs.filter((d) => !isLoopback(d.reach.host) && !(d.reach.address && isLoopback(d.reach.address)));
}

/** The machine's own trouble in words (empty when it has none), given the endpoints down. */
export function localTrouble(local: LocalNetwork | null, downs: Down[], everyEndpointDown: boolean): string[] {
  const remote = overTheNetwork(downs);
  if (!local || remote.length === 0) return [];
  const facts: string[] = [];
  if (!local.interfaceUp) facts.push('no network interface up');
  const addresses = [...new Set(remote.flatMap((d) => (d.reach.address ? [d.reach.address] : [])))];
  const unrouted = addresses.filter((a) => local.noRouteTo.includes(a));
  if (unrouted.length && unrouted.length === addresses.length) facts.push(`no route to ${listed(unrouted)}`);
  const hosts = new Set(remote.map((d) => d.reach.host)).size;
  // An unreachable resolver alone says "offline" only when everything on several hosts is down with it.
  if (local.resolver === 'unreachable' && (facts.length || (everyEndpointDown && hosts >= 2))) facts.push('the resolver unreachable');
  return facts;
}

/**
 * Folds endpoints that went down together (none of them in an incident yet)
 * into incidents: this machine offline first (it explains everything), then
 * "every endpoint" when all that are watched are down across hosts while this
 * machine's network answers, then the narrowest thing two or more of them
 * share (address, host, proxy). What is left are failures of their own.
 */
export function planIncidents(downs: Down[], everyEndpointDown: boolean, local: LocalNetwork | null): IncidentPlan[] {
  if (downs.length < 2) return [];
  const trouble = localTrouble(local, downs, everyEndpointDown);
  if (trouble.length) {
    const what = everyEndpointDown
      ? 'every endpoint down'
      : `${downs.length} endpoints on ${listed(downs.map((d) => d.reach.host))} down within ${within(downs)}`;
    return [
      { scope: 'all', key: 'this machine', match: '', members: downs.map((d) => d.id), cause: `${what}, ${trouble.join(', ')}: this machine is offline` },
    ];
  }
  const hosts = new Set(downs.map((d) => d.reach.host)).size;
  if (everyEndpointDown && hosts >= 2) {
    const answers =
      overTheNetwork(downs).length === 0
        ? "all on this machine's loopback — the servers here, not the network"
        : local
          ? `this machine's network${local.resolver === 'reachable' ? ' and resolver' : ''} answer — a shared path, firewall or proxy past this machine`
          : 'this machine could not be asked about its network';
    return [
      {
        scope: 'all',
        key: 'every endpoint',
        match: '',
        members: downs.map((d) => d.id),
        cause: `every endpoint down (${downs.length} on ${hosts} hosts within ${within(downs)}); ${answers}`,
      },
    ];
  }
  const plans: IncidentPlan[] = [];
  let left = downs;
  const group = (scope: Exclude<IncidentScope, 'all'>, matchOf: (r: Reach) => string | null, say: (match: string, g: Down[]) => [string, string]) => {
    const groups = new Map<string, Down[]>();
    for (const d of left) {
      const m = matchOf(d.reach);
      if (m !== null) groups.set(m, [...(groups.get(m) ?? []), d]);
    }
    for (const [match, g] of groups) {
      if (g.length < 2) continue;
      const [key, cause] = say(match, g);
      plans.push({ scope, key, match, members: g.map((d) => d.id), cause: `${key}: ${g.length} endpoints down within ${within(g)} — ${cause}` });
      left = left.filter((d) => !g.includes(d));
    }
  };
  group(
    'address',
    (r) => (r.proxy === null ? r.address : null),
    (address, g) => {
      const hosts = [...new Set(g.map((d) => d.reach.host))];
      return [
        hosts.length === 1 && hosts[0] === address ? address : `${listed(hosts)} (${address})`,
        g.every((d) => d.refused) ? REFUSED : 'the host or the path, not one service',
      ];
    },
  );
  group(
    'host',
    (r) => r.host,
    (host, g) => [host, g.every((d) => d.refused) ? REFUSED : 'the servers behind the name or the path to them, not one service'],
  );
  group(
    'proxy',
    (r) => r.proxy,
    (proxy) => [`through ${proxy}`, 'the proxy or the path to it'],
  );
  return plans;
}
