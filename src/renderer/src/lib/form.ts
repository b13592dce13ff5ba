// The add/edit form's fields <-> endpoint settings, validated by the shared schema.
import { DEFAULTS, endpointConfigSchema, formatPongMatch, parseHeaderLine, parsePongMatch, type EndpointConfig, type EndpointConfigInput } from '../../../shared/config';
import { toProblems } from '../../../shared/errors';
import { formatDuration } from '../../../shared/duration';

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
};

export function fieldOf(path: string): keyof FormFields {
  return FIELD_OF[path] ?? FIELD_OF[path.replace(/\.\d+$/, '')] ?? 'url';
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
  } as EndpointConfigInput;
  const r = endpointConfigSchema.safeParse(input);
  if (!r.success) for (const p of toProblems(r.error)) errors[fieldOf(p.path)] ??= p.message;
  return { input, errors };
}
