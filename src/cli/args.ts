// Command-line options -> engine settings. Every mistake becomes one sentence
// that names the flag, and exit code 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { APP_PROTOCOLS, type AppProtocolName } from '../shared/app-protocol';
import { HEARTBEAT_MODES, JITTER_KINDS, parseHeaderLine, parsePongMatch, parseReplyLine, urlProblem, validateEndpoint, type EndpointConfigInput, type EndpointSettings, type PongMatch } from '../shared/config';
import { parseDuration } from '../shared/duration';
import { UsageError, type ConfigProblem } from '../shared/errors';


/** Options that shape every endpoint, shared by `watch`, `web` and `run`. */
export const ENDPOINT_OPTIONS = {
  'ping-interval': { type: 'string' },
  'ping-timeout': { type: 'string' },
  misses: { type: 'string' },
  'connect-timeout': { type: 'string' },
  heartbeat: { type: 'string' },
  'ping-payload': { type: 'string' },
  'pong-match': { type: 'string' },
  'backoff-initial': { type: 'string' },
  'backoff-max': { type: 'string' },
  'backoff-multiplier': { type: 'string' },
  jitter: { type: 'string' },
  'max-attempts': { type: 'string' },
  'reset-after': { type: 'string' },
  header: { type: 'string', multiple: true },
  protocol: { type: 'string', multiple: true },
  insecure: { type: 'boolean' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  proxy: { type: 'string' },
  'expect-every': { type: 'string' },
  'expect-match': { type: 'string' },
  'max-payload': { type: 'string' },
  'app-protocol': { type: 'string' },
  namespace: { type: 'string' },
  auth: { type: 'string' },
  'init-payload': { type: 'string' },
  'mqtt-version': { type: 'string' },
  'client-id': { type: 'string' },
  keepalive: { type: 'string' },
  user: { type: 'string' },
  'stomp-host': { type: 'string' },
  'rpc-method': { type: 'string' },
  'rpc-params': { type: 'string' },
  'send-on-open': { type: 'string', multiple: true },
  ack: { type: 'string' },
  refuse: { type: 'string' },
  reply: { type: 'string', multiple: true },
  'alive-match': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Where the CLI reads an MQTT password or STOMP passcode: not a flag, which any user could read in the process list. */
export const APP_PASSWORD_ENV = 'WSMON_APP_PASSWORD';

/** Where the CLI reads an encrypted client key's passphrase: not a flag, which any user could read in the process list. */
export const KEY_PASSPHRASE_ENV = 'WSMON_KEY_PASSPHRASE';

/** Options of every command that runs a session. */
export const SESSION_OPTIONS = {
  json: { type: 'boolean' },
  log: { type: 'string' },
  'log-rtt': { type: 'string' },
  duration: { type: 'string' },
  metrics: { type: 'string' },
  'secret-name': { type: 'string', multiple: true },
  probe: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** "HOST:PORT", ":PORT" or "PORT" (host defaults to 127.0.0.1; port 0 picks a free one). */
export function hostPortFlag(flag: string, text: string): { host: string; port: number } {
  const m = /^(?:\[?([^\]]*?)\]?:)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new UsageError(`${flag} takes HOST:PORT, :PORT or PORT, such as 127.0.0.1:9464 (got "${text}")`);
  return { host: m[1] || '127.0.0.1', port };
}

/** Which flag sets which setting, so validation messages can name the flag the user typed. */
const FLAG_FOR_PATH: Record<string, string> = {
  'heartbeat.intervalMs': '--ping-interval',
  'heartbeat.timeoutMs': '--ping-timeout',
  'heartbeat.misses': '--misses',
  'heartbeat.mode': '--heartbeat',
  'heartbeat.payload': '--ping-payload',
  'heartbeat.match': '--pong-match',
  'heartbeat.match.pattern': '--pong-match',
  'heartbeat.match.path': '--pong-match',
  connectTimeoutMs: '--connect-timeout',
  'backoff.initialMs': '--backoff-initial',
  'backoff.maxMs': '--backoff-max',
  'backoff.multiplier': '--backoff-multiplier',
  'backoff.jitter': '--jitter',
  'backoff.maxAttempts': '--max-attempts',
  'backoff.resetAfterMs': '--reset-after',
  headers: '--header',
  protocols: '--protocol',
  caFile: '--ca',
  clientCert: '--cert',
  clientKey: '--key',
  clientKeyPassphrase: KEY_PASSPHRASE_ENV,
  proxy: '--proxy',
  'freshness.everyMs': '--expect-every',
  'freshness.match': '--expect-match',
  maxPayload: '--max-payload',
  'heartbeat.lifeMatch': '--alive-match',
  appProtocol: '--app-protocol',
  'appProtocol.name': '--app-protocol',
  'appProtocol.namespace': '--namespace',
  'appProtocol.auth': '--auth',
  'appProtocol.payload': '--init-payload',
  'appProtocol.version': '--mqtt-version',
  'appProtocol.clientId': '--client-id',
  'appProtocol.keepaliveS': '--keepalive',
  'appProtocol.username': '--user',
  'appProtocol.login': '--user',
  'appProtocol.password': APP_PASSWORD_ENV,
  'appProtocol.passcode': APP_PASSWORD_ENV,
  'appProtocol.host': '--stomp-host',
  'appProtocol.method': '--rpc-method',
  'appProtocol.params': '--rpc-params',
  'onOpen.send': '--send-on-open',
  'onOpen.ack': '--ack',
  'onOpen.refuse': '--refuse',
  replies: '--reply',
};

export function parseCli<O extends ParseArgsConfig['options']>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const flag = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${flag ?? ''}`.trim());
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`option ${flag ?? ''} needs a value`.replace('  ', ' '));
    throw new UsageError(err.message);
  }
}

export function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`${flag} takes a duration such as 250ms, 5s or 2m (got "${text}")`);
  return ms;
}

export function portFlag(text: string | undefined): number {
  const port = text === undefined ? 0 : Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number 0-65535 (got "${text}")`);
  return port;
}

function numberFlag(flag: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} takes ${integer ? 'a whole number' : 'a number'} (got "${text}")`);
  }
  return n;
}

function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${text}")`);
  return text as T;
}

type EndpointFlags = { [K in keyof typeof ENDPOINT_OPTIONS]?: (typeof ENDPOINT_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof ENDPOINT_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** Builds the endpoint settings the flags describe (without url). */
export function endpointTemplate(v: EndpointFlags): Omit<EndpointConfigInput, 'url'> {
  const heartbeat: Record<string, unknown> = {};
  const backoff: Record<string, unknown> = {};
  const t: Record<string, unknown> = { heartbeat, backoff };
  if (v['ping-interval'] !== undefined) heartbeat.intervalMs = durationFlag('--ping-interval', v['ping-interval']);
  if (v['ping-timeout'] !== undefined) heartbeat.timeoutMs = durationFlag('--ping-timeout', v['ping-timeout']);
  if (v.misses !== undefined) heartbeat.misses = numberFlag('--misses', v.misses, true);
  if (v.heartbeat !== undefined) heartbeat.mode = oneOf('--heartbeat', v.heartbeat, HEARTBEAT_MODES);
  if (v['ping-payload'] !== undefined) heartbeat.payload = v['ping-payload'];
  if (v['pong-match'] !== undefined) heartbeat.match = parsePongMatch(v['pong-match']);
  if (v['connect-timeout'] !== undefined) t.connectTimeoutMs = durationFlag('--connect-timeout', v['connect-timeout']);
  if (v['backoff-initial'] !== undefined) backoff.initialMs = durationFlag('--backoff-initial', v['backoff-initial']);
  if (v['backoff-max'] !== undefined) backoff.maxMs = durationFlag('--backoff-max', v['backoff-max']);
  if (v['backoff-multiplier'] !== undefined) backoff.multiplier = numberFlag('--backoff-multiplier', v['backoff-multiplier'], false);
  if (v.jitter !== undefined) backoff.jitter = oneOf('--jitter', v.jitter, JITTER_KINDS);
  if (v['max-attempts'] !== undefined) backoff.maxAttempts = numberFlag('--max-attempts', v['max-attempts'], true);
  if (v['reset-after'] !== undefined) backoff.resetAfterMs = durationFlag('--reset-after', v['reset-after']);
  if (v['max-payload'] !== undefined) t.maxPayload = numberFlag('--max-payload', v['max-payload'], true);
  if (v.header?.length) t.headers = Object.fromEntries(v.header.map(parseHeader));
  if (v.protocol?.length) t.protocols = v.protocol;
  if (v.insecure) t.rejectUnauthorized = false;
  if (v.ca !== undefined) t.caFile = v.ca;
  if (v.cert !== undefined) t.clientCert = v.cert;
  if (v.key !== undefined) t.clientKey = v.key;
  const passphrase = process.env[KEY_PASSPHRASE_ENV];
  if (v.key !== undefined && passphrase !== undefined) t.clientKeyPassphrase = passphrase;
  if (v.proxy !== undefined) t.proxy = v.proxy;
  if (v['expect-match'] !== undefined && v['expect-every'] === undefined) throw new UsageError('--expect-match goes with --expect-every D (how often matching data is expected)');
  if (v['expect-every'] !== undefined) {
    t.freshness = { everyMs: durationFlag('--expect-every', v['expect-every']), ...(v['expect-match'] !== undefined ? { match: parsePongMatch(v['expect-match']) } : {}) };
  }
  const app = appProtocolFlags(v);
  if (app) t.appProtocol = app;
  const onOpen: Record<string, unknown> = {};
  if (v['send-on-open']?.length) onOpen.send = v['send-on-open'];
  if (v.ack !== undefined) onOpen.ack = parsePongMatch(v.ack);
  if (v.refuse !== undefined) onOpen.refuse = parsePongMatch(v.refuse);
  if (Object.keys(onOpen).length) t.onOpen = onOpen;
  if (v.reply?.length) t.replies = v.reply.map(replyFlag);
  if (v['alive-match'] !== undefined) heartbeat.lifeMatch = parsePongMatch(v['alive-match']);
  return t as Omit<EndpointConfigInput, 'url'>;
}

/** "RULE => PAYLOAD": when a message matches RULE, send PAYLOAD. */
function replyFlag(text: string): { match: PongMatch; send: string } {
  const reply = parseReplyLine(text);
  if (!reply) throw new UsageError(`--reply takes "RULE => PAYLOAD", such as "2 => 3" or 'json:type=ping => {"type":"pong"}' (got "${text}")`);
  return reply;
}

function jsonFlag(flag: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${flag} takes JSON, such as '{"token":"…"}' (got "${text}")`);
  }
}

/** Protocol options that belong to each --app-protocol; using one with another protocol is a mistake worth naming. */
const APP_FLAGS: Record<AppProtocolName, readonly string[]> = {
  socketio: ['namespace', 'auth'],
  'graphql-ws': ['init-payload'],
  mqtt: ['mqtt-version', 'client-id', 'keepalive', 'user'],
  stomp: ['stomp-host', 'user'],
  'json-rpc': ['rpc-method', 'rpc-params'],
};

function appProtocolFlags(v: EndpointFlags): Record<string, unknown> | null {
  const all = new Set(Object.values(APP_FLAGS).flat());
  const given = [...all].filter((f) => v[f as keyof EndpointFlags] !== undefined);
  if (v['app-protocol'] === undefined) {
    if (given.length) throw new UsageError(`--${given[0]} goes with --app-protocol (${APP_PROTOCOLS.join(', ')})`);
    return null;
  }
  const name = oneOf('--app-protocol', v['app-protocol'], APP_PROTOCOLS);
  const foreign = given.find((f) => !APP_FLAGS[name].includes(f));
  if (foreign) throw new UsageError(`--${foreign} does not apply to --app-protocol ${name} (its options: ${APP_FLAGS[name].map((f) => `--${f}`).join(', ') || 'none'})`);
  const password = process.env[APP_PASSWORD_ENV];
  const p: Record<string, unknown> = { name };
  if (v.namespace !== undefined) p.namespace = v.namespace;
  if (v.auth !== undefined) p.auth = jsonFlag('--auth', v.auth);
  if (v['init-payload'] !== undefined) p.payload = jsonFlag('--init-payload', v['init-payload']);
  if (v['mqtt-version'] !== undefined) p.version = v['mqtt-version'] === '3.1.1' ? 4 : numberFlag('--mqtt-version', v['mqtt-version'], true);
  if (v['client-id'] !== undefined) p.clientId = v['client-id'];
  if (v.keepalive !== undefined) p.keepaliveS = Math.round(durationFlag('--keepalive', v.keepalive) / 1000);
  if (v['stomp-host'] !== undefined) p.host = v['stomp-host'];
  if (v['rpc-method'] !== undefined) p.method = v['rpc-method'];
  if (v['rpc-params'] !== undefined) p.params = jsonFlag('--rpc-params', v['rpc-params']);
  if (name === 'json-rpc' && p.method === undefined) throw new UsageError('--app-protocol json-rpc needs --rpc-method METHOD (the call used as the heartbeat)');
  if (v.user !== undefined) p[name === 'stomp' ? 'login' : 'username'] = v.user;
  if (password !== undefined && (name === 'mqtt' || name === 'stomp')) p[name === 'stomp' ? 'passcode' : 'password'] = password;
  return p;
}

function parseHeader(text: string): [string, string] {
  const header = parseHeaderLine(text);
  if (!header) throw new UsageError(`--header takes "Name: value" (got "${text}")`);
  return header;
}

/** `name=ws://...` names an endpoint; a bare URL is named after its host and path. */
export function splitNamedUrl(arg: string): { name?: string; url: string } {
  const m = /^([^=:/]+)=(wss?:\/\/.*)$/i.exec(arg);
  return m ? { name: m[1]!.trim(), url: m[2]! } : { url: arg };
}

/** The first config problem as a usage error naming its flag. */
export function usageFromProblems(problems: ConfigProblem[]): UsageError {
  const p = problems[0]!;
  const flag = FLAG_FOR_PATH[p.path];
  return new UsageError(flag ? `${flag}: ${p.message}` : p.path ? `${p.path}: ${p.message}` : p.message);
}

/** Parses each URL with the template, once: the engine takes the result. */
export function endpointsFromCli(args: string[], template: Omit<EndpointConfigInput, 'url'>): EndpointSettings[] {
  return args.map((arg) => {
    const { name, url } = splitNamedUrl(arg);
    const problem = urlProblem(url);
    if (problem) throw new UsageError(problem);
    const r = validateEndpoint({ ...template, url, ...(name ? { name } : {}) });
    if (!r.ok) throw usageFromProblems(r.problems);
    return r.value;
  });
}
