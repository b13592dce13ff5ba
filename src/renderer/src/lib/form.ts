// The add/edit form's fields <-> endpoint settings, validated by the shared schema.
import type { AppProtocolConfig, AppProtocolName } from '../../../shared/app-protocol';
import { DEFAULTS, endpointConfigSchema, formatPongMatch, formatReplyLine, parseHeaderLine, parsePongMatch, parseReplyLine, type EndpointConfig, type EndpointConfigInput } from '../../../shared/config';
import { toProblems } from '../../../shared/errors';
import { formatDuration, parseDuration } from '../../../shared/duration';

/** Every field as the user types it (text), so any input can be shown and checked. */
export interface FormFields {
  url: string;
  name: string;
  mode: string;
  interval: string;
  timeout: string;
  misses: string;
  payload: string;
  match: string;
  connectTimeout: string;
  initial: string;
  multiplier: string;
  max: string;
  jitter: string;
  maxAttempts: string;
  resetAfter: string;
  headers: string;
  protocols: string;
  verifyTls: boolean;
  caFile: string;
  clientCert: string;
  clientKey: string;
  clientKeyPassphrase: string;
  proxy: string;
  maxPayload: string;
  slowRtt: string;
  lossLimit: string;
  downAfter: string;
  /** '' for plain WebSocket, else an application protocol's name. */
  appProtocol: '' | AppProtocolName;
  namespace: string;
  auth: string;
  initPayload: string;
  mqttVersion: string;
  clientId: string;
  keepalive: string;
  appUser: string;
  appPassword: string;
  stompHost: string;
  rpcMethod: string;
  rpcParams: string;
  /** One payload per line. */
  sendOnOpen: string;
  ack: string;
  refuse: string;
  /** One "RULE => PAYLOAD" per line. */
  replies: string;
  lifeMatch: string;
  expectEvery: string;
  expectMatch: string;
}

const PROTOCOL_BLANK = {
  appProtocol: '' as FormFields['appProtocol'],
  namespace: '',
  auth: '',
  initPayload: '',
  mqttVersion: '4',
  clientId: '',
  keepalive: '',
  appUser: '',
  appPassword: '',
  stompHost: '',
  rpcMethod: '',
  rpcParams: '',
  sendOnOpen: '',
  ack: '',
  refuse: '',
  replies: '',
  lifeMatch: '',
  expectEvery: '',
  expectMatch: '',
};

const json = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** The protocol and building-block fields of saved settings. */
function protocolFields(c: EndpointConfig): typeof PROTOCOL_BLANK {
  const p = c.appProtocol;
  return {
    ...PROTOCOL_BLANK,
    ...(p ? { appProtocol: p.name } : {}),
    ...(p?.name === 'socketio' ? { namespace: p.namespace, auth: json(p.auth) } : {}),
    ...(p?.name === 'graphql-ws' ? { initPayload: json(p.payload) } : {}),
    ...(p?.name === 'mqtt' ? { mqttVersion: String(p.version), clientId: p.clientId ?? '', keepalive: `${p.keepaliveS}s`, appUser: p.username ?? '', appPassword: p.password ?? '' } : {}),
    ...(p?.name === 'stomp' ? { stompHost: p.host ?? '', appUser: p.login ?? '', appPassword: p.passcode ?? '' } : {}),
    ...(p?.name === 'json-rpc' ? { rpcMethod: p.method, rpcParams: json(p.params) } : {}),
    sendOnOpen: (c.onOpen?.send ?? []).join('\n'),
    ack: c.onOpen?.ack ? formatPongMatch(c.onOpen.ack) : '',
    refuse: c.onOpen?.refuse ? formatPongMatch(c.onOpen.refuse) : '',
    replies: c.replies.map(formatReplyLine).join('\n'),
    lifeMatch: c.heartbeat.lifeMatch ? formatPongMatch(c.heartbeat.lifeMatch) : '',
    expectEvery: c.freshness ? formatDuration(c.freshness.everyMs) : '',
    expectMatch: c.freshness?.match ? formatPongMatch(c.freshness.match) : '',
  };
}

export function emptyFields(): FormFields {
  const h = DEFAULTS.heartbeat;
  const b = DEFAULTS.backoff;
  return {
    url: '',
    name: '',
    mode: h.mode,
    interval: formatDuration(h.intervalMs),
    timeout: formatDuration(h.timeoutMs),
    misses: String(h.misses),
    payload: h.payload,
    match: formatPongMatch(h.match),
    connectTimeout: formatDuration(DEFAULTS.connectTimeoutMs),
    initial: formatDuration(b.initialMs),
    multiplier: String(b.multiplier),
    max: formatDuration(b.maxMs),
    jitter: b.jitter,
    maxAttempts: '',
    resetAfter: formatDuration(b.resetAfterMs),
    headers: '',
    protocols: '',
    verifyTls: DEFAULTS.rejectUnauthorized,
    caFile: '',
    clientCert: '',
    clientKey: '',
    clientKeyPassphrase: '',
    proxy: '',
    maxPayload: String(DEFAULTS.maxPayload),
    slowRtt: formatDuration(DEFAULTS.alerts.rttMs),
    lossLimit: String(DEFAULTS.alerts.loss),
    downAfter: formatDuration(DEFAULTS.alerts.downAfterMs),
    ...PROTOCOL_BLANK,
  };
}

export function fieldsFrom(c: EndpointConfig): FormFields {
  return {
    url: c.url,
    name: c.name,
    mode: c.heartbeat.mode,
    interval: formatDuration(c.heartbeat.intervalMs),
    timeout: formatDuration(c.heartbeat.timeoutMs),
    misses: String(c.heartbeat.misses),
    payload: c.heartbeat.payload,
    match: formatPongMatch(c.heartbeat.match),
    connectTimeout: formatDuration(c.connectTimeoutMs),
    initial: formatDuration(c.backoff.initialMs),
    multiplier: String(c.backoff.multiplier),
    max: formatDuration(c.backoff.maxMs),
    jitter: c.backoff.jitter,
    maxAttempts: c.backoff.maxAttempts === null ? '' : String(c.backoff.maxAttempts),
    resetAfter: formatDuration(c.backoff.resetAfterMs),
    headers: Object.entries(c.headers).map(([k, v]) => `${k}: ${v}`).join('\n'),
    protocols: c.protocols.join(', '),
    verifyTls: c.rejectUnauthorized,
    caFile: c.caFile ?? '',
    clientCert: c.clientCert ?? '',
    clientKey: c.clientKey ?? '',
    clientKeyPassphrase: c.clientKeyPassphrase ?? '',
    proxy: c.proxy ?? '',
    maxPayload: String(c.maxPayload),
    slowRtt: formatDuration(c.alerts.rttMs),
    lossLimit: String(c.alerts.loss),
    downAfter: formatDuration(c.alerts.downAfterMs),
    ...protocolFields(c),
  };
}

/** Which field shows a problem at a schema path. */
const FIELD_OF: Record<string, keyof FormFields> = {
  url: 'url',
  name: 'name',
  'heartbeat.mode': 'mode',
  'heartbeat.intervalMs': 'interval',
  'heartbeat.timeoutMs': 'timeout',
  'heartbeat.misses': 'misses',
  'heartbeat.payload': 'payload',
  'heartbeat.match': 'match',
  'heartbeat.match.pattern': 'match',
  'heartbeat.match.path': 'match',
  'heartbeat.match.flags': 'match',
  connectTimeoutMs: 'connectTimeout',
  'backoff.initialMs': 'initial',
  'backoff.multiplier': 'multiplier',
  'backoff.maxMs': 'max',
  'backoff.jitter': 'jitter',
  'backoff.maxAttempts': 'maxAttempts',
  'backoff.resetAfterMs': 'resetAfter',
  headers: 'headers',
  protocols: 'protocols',
  caFile: 'caFile',
  clientCert: 'clientCert',
  clientKey: 'clientKey',
  clientKeyPassphrase: 'clientKeyPassphrase',
  proxy: 'proxy',
  maxPayload: 'maxPayload',
  'alerts.rttMs': 'slowRtt',
  'alerts.loss': 'lossLimit',
  'alerts.downAfterMs': 'downAfter',
  appProtocol: 'appProtocol',
  'appProtocol.namespace': 'namespace',
  'appProtocol.auth': 'auth',
  'appProtocol.payload': 'initPayload',
  'appProtocol.version': 'mqttVersion',
  'appProtocol.clientId': 'clientId',
  'appProtocol.keepaliveS': 'keepalive',
  'appProtocol.username': 'appUser',
  'appProtocol.login': 'appUser',
  'appProtocol.password': 'appPassword',
  'appProtocol.passcode': 'appPassword',
  'appProtocol.host': 'stompHost',
  'appProtocol.method': 'rpcMethod',
  'appProtocol.params': 'rpcParams',
  'onOpen.send': 'sendOnOpen',
  'onOpen.ack': 'ack',
  'onOpen.refuse': 'refuse',
  replies: 'replies',
  'heartbeat.lifeMatch': 'lifeMatch',
  'freshness.everyMs': 'expectEvery',
  'freshness.match': 'expectMatch',
};

export function fieldOf(path: string): keyof FormFields {
  const general = path.replace(/\.\d+(?=\.|$)/g, '');
  return FIELD_OF[path] ?? FIELD_OF[general] ?? FIELD_OF[general.replace(/\.[^.]+$/, '')] ?? 'url';
}

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));

/** The settings the fields describe, and the problems with them by field (empty when valid). */
export function readFields(f: FormFields): { input: EndpointConfigInput; errors: Partial<Record<keyof FormFields, string>> } {
  const errors: Partial<Record<keyof FormFields, string>> = {};
  const headers: Record<string, string> = {};
  for (const line of f.headers.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const header = parseHeaderLine(line);
    if (!header) errors.headers ??= `each header is "Name: value" (got "${line}")`;
    else headers[header[0]] = header[1];
  }
  const input: EndpointConfigInput = {
    url: f.url.trim(),
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    heartbeat: {
      mode: f.mode as 'ping',
      intervalMs: f.interval,
      timeoutMs: f.timeout,
      misses: num(f.misses),
      payload: f.payload,
      match: parsePongMatch(f.match),
      ...(f.lifeMatch.trim() ? { lifeMatch: parsePongMatch(f.lifeMatch.trim()) } : {}),
    },
    connectTimeoutMs: f.connectTimeout,
    backoff: {
      initialMs: f.initial,
      multiplier: num(f.multiplier),
      maxMs: f.max,
      jitter: f.jitter as 'full',
      maxAttempts: f.maxAttempts.trim() === '' ? null : num(f.maxAttempts),
      resetAfterMs: f.resetAfter,
    },
    headers,
    protocols: f.protocols.split(',').map((p) => p.trim()).filter(Boolean),
    rejectUnauthorized: f.verifyTls,
    ...(f.caFile.trim() ? { caFile: f.caFile.trim() } : {}),
    ...(f.clientCert.trim() ? { clientCert: f.clientCert.trim() } : {}),
    ...(f.clientKey.trim() ? { clientKey: f.clientKey.trim() } : {}),
    ...(f.clientKeyPassphrase ? { clientKeyPassphrase: f.clientKeyPassphrase } : {}),
    ...(f.proxy.trim() ? { proxy: f.proxy.trim() } : {}),
    maxPayload: num(f.maxPayload),
    alerts: { rttMs: f.slowRtt, loss: num(f.lossLimit), downAfterMs: f.downAfter },
    ...protocolInput(f, errors),
  } as EndpointConfigInput;
  const r = endpointConfigSchema.safeParse(input);
  if (!r.success) for (const p of toProblems(r.error)) errors[fieldOf(p.path)] ??= p.message;
  return { input, errors };
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** The protocol and building-block part of the settings the fields describe; unparseable text is named in `errors`. */
function protocolInput(f: FormFields, errors: Partial<Record<keyof FormFields, string>>): Partial<EndpointConfigInput> {
  const parsed = (field: keyof FormFields): unknown => {
    const text = (f[field] as string).trim();
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      errors[field] ??= 'must be JSON, such as {"token": "…"}';
      return undefined;
    }
  };
  const opt = <K extends string>(key: K, v: unknown) => (v === undefined || v === '' ? {} : { [key]: v });
  const user = f.appUser.trim();
  let appProtocol: AppProtocolConfig | undefined;
  switch (f.appProtocol) {
    case 'socketio':
      appProtocol = { name: 'socketio', ...opt('namespace', f.namespace.trim()), ...opt('auth', parsed('auth')) } as AppProtocolConfig;
      break;
    case 'graphql-ws':
      appProtocol = { name: 'graphql-ws', ...opt('payload', parsed('initPayload')) } as AppProtocolConfig;
      break;
    case 'mqtt': {
      const keepalive = f.keepalive.trim() ? parseDuration(f.keepalive.trim()) : undefined;
      if (keepalive === null) errors.keepalive ??= 'keep-alive must be a duration such as 60s';
      appProtocol = { name: 'mqtt', version: num(f.mqttVersion), ...opt('clientId', f.clientId.trim()), ...opt('keepaliveS', keepalive == null ? undefined : Math.round(keepalive / 1000)), ...opt('username', user), ...opt('password', f.appPassword) } as AppProtocolConfig;
      break;
    }
    case 'stomp':
      appProtocol = { name: 'stomp', ...opt('host', f.stompHost.trim()), ...opt('login', user), ...opt('passcode', f.appPassword) } as AppProtocolConfig;
      break;
    case 'json-rpc':
      appProtocol = { name: 'json-rpc', method: f.rpcMethod.trim(), ...opt('params', parsed('rpcParams')) } as AppProtocolConfig;
      break;
  }
  const replies = lines(f.replies).map((l) => {
    const r = parseReplyLine(l);
    if (!r) errors.replies ??= `each reply is "RULE => PAYLOAD" (got "${l}")`;
    return r;
  });
  if (f.expectMatch.trim() && !f.expectEvery.trim()) errors.expectEvery ??= 'a data rule needs the period data is expected in, such as 30s';
  const send = lines(f.sendOnOpen);
  const onOpen = { ...(send.length ? { send } : {}), ...opt('ack', f.ack.trim() && parsePongMatch(f.ack.trim())), ...opt('refuse', f.refuse.trim() && parsePongMatch(f.refuse.trim())) };
  return {
    ...(appProtocol ? { appProtocol } : {}),
    ...(Object.keys(onOpen).length ? { onOpen } : {}),
    ...(replies.length ? { replies: replies.filter((r) => r !== null) } : {}),
    ...(f.expectEvery.trim() ? { freshness: { everyMs: f.expectEvery.trim(), ...opt('match', f.expectMatch.trim() && parsePongMatch(f.expectMatch.trim())) } } : {}),
  } as Partial<EndpointConfigInput>;
}
