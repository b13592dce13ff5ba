// Endpoint settings: the types, their defaults (in one place) and the schema
// that validates every way they arrive: CLI flags, config files, the add/edit
// form and IPC calls. Durations are stored in milliseconds and may be written
// as "250ms", "5s", "2m".
import { z } from 'zod';
import { parseDuration } from './duration';
import { ConfigError, toProblems, type Validated } from './errors';
import { proxyProblem } from './proxy';
import { appProtocolSchema, protocolDefinition, type AppProtocolConfig } from './app-protocols';
import { payloadProblem } from './payload';
import { pongMatchSchema, type PongMatch } from './match-rule';
import { HEADER_NAME, HEADER_VALUE } from './header-line';
import { boundedText, LIMITS } from './limits';
import { PRESET_NAMES, withPreset } from './presets';
import { tryUrl } from './url';

export const HEARTBEAT_MODES = ['ping', 'message', 'passive'] as const;
export const JITTER_KINDS = ['full', 'equal', 'decorrelated', 'none'] as const;
export type HeartbeatMode = (typeof HEARTBEAT_MODES)[number];
export type JitterKind = (typeof JITTER_KINDS)[number];

/** Every default, written once. The README's settings table mirrors this. */
export const DEFAULTS = {
  heartbeat: {
    mode: 'ping' as HeartbeatMode,
    intervalMs: 10_000,
    timeoutMs: 5_000,
    misses: 2,
    payload: 'ping',
    match: { kind: 'exact', text: 'pong' } as PongMatch,
    networkRtt: true,
  },
  backoff: {
    initialMs: 1_000,
    multiplier: 2,
    maxMs: 30_000,
    jitter: 'full' as JitterKind,
    maxAttempts: null as number | null,
    resetAfterMs: 10_000,
  },
  alerts: {
    rttMs: 1_000,
    loss: 0.1,
    downAfterMs: 10_000,
  },
  frames: {
    capture: true,
    count: 200,
    bytes: 256 * 1024,
  },
  connectTimeoutMs: 10_000,
  maxPayload: 16 * 1024 * 1024,
  rejectUnauthorized: true,
} as const;

const duration = (what: string, minMs: number, maxMs: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (parseDuration(v) ?? v) : v),
    z
      .number({ error: `${what} must be a duration such as 500ms, 5s or 2m` })
      .finite({ error: `${what} must be a duration such as 500ms, 5s or 2m` })
      .min(minMs, { error: `${what} must be at least ${minMs} ms` })
      .max(maxMs, { error: `${what} must be at most ${maxMs / 1000} s` }),
  );

const wholeNumber = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a whole number` })
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: `${what} must be at least ${min}` })
    .max(max, { error: `${what} must be at most ${max}` });

/** Why a string is not a URL wsmon can monitor, or null when it is one. */
export function urlProblem(url: string): string | null {
  const u = tryUrl(url);
  if (!u) return 'not a valid URL (expected something like ws://host:port/path)';
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') {
    return `URL must start with ws:// or wss:// (this one starts with ${u.protocol}//)`;
  }
  if (!u.hostname) return 'URL has no host';
  if (u.hash) return 'URL must not contain a #fragment (WebSocket URLs cannot have one)';
  return null;
}

// ws and Node set these themselves; a user value would break the handshake.
const RESERVED_HEADERS = new Set([
  'host',
  'connection',
  'upgrade',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'content-length',
]);

/** A message wsmon sends: text, or binary written as hex:… or base64:… */
export const payloadSchema = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .max(65_536, { error: `${what} must be at most 64 KiB` })
    .superRefine((p, ctx) => {
      const problem = payloadProblem(p);
      if (problem) ctx.addIssue({ code: 'custom', message: `${what}: ${problem}` });
    });

/** At most this many messages on open and reply rules: each is checked against every message received. */
export const MAX_RULES = 16;

export const heartbeatSchema = z
  .object({
    mode: z.enum(HEARTBEAT_MODES, { error: 'heartbeat mode must be ping, message or passive' }).default(DEFAULTS.heartbeat.mode),
    intervalMs: duration('heartbeat interval', 50, 3_600_000).default(DEFAULTS.heartbeat.intervalMs),
    timeoutMs: duration('heartbeat timeout', 10, 3_600_000).default(DEFAULTS.heartbeat.timeoutMs),
    misses: wholeNumber('misses before dead', 1, 100).default(DEFAULTS.heartbeat.misses),
    payload: payloadSchema('ping payload').default(DEFAULTS.heartbeat.payload),
    match: pongMatchSchema.default(DEFAULTS.heartbeat.match),
    /** Passive mode: only messages matching this rule prove the peer alive (else any frame does). */
    lifeMatch: pongMatchSchema.optional(),
    /** Read the kernel's RTT of the connection's socket with each answer (engine/kernel-rtt.ts). */
    networkRtt: z.boolean({ error: 'networkRtt must be true or false' }).default(DEFAULTS.heartbeat.networkRtt),
  })
  .strict();

export const backoffSchema = z
  .object({
    initialMs: duration('backoff initial delay', 0, 3_600_000).default(DEFAULTS.backoff.initialMs),
    multiplier: z
      .number({ error: 'backoff multiplier must be a number' })
      .min(1, { error: 'backoff multiplier must be at least 1' })
      .max(100, { error: 'backoff multiplier must be at most 100' })
      .default(DEFAULTS.backoff.multiplier),
    maxMs: duration('backoff maximum delay', 0, 86_400_000).default(DEFAULTS.backoff.maxMs),
    jitter: z.enum(JITTER_KINDS, { error: 'jitter must be full, equal, decorrelated or none' }).default(DEFAULTS.backoff.jitter),
    maxAttempts: wholeNumber('max attempts', 1, 1_000_000).nullable().default(DEFAULTS.backoff.maxAttempts),
    resetAfterMs: duration('reset after', 0, 86_400_000).default(DEFAULTS.backoff.resetAfterMs),
  })
  .strict()
  .refine((b) => b.maxMs >= b.initialMs, {
    error: 'backoff maximum delay must not be shorter than the initial delay',
    path: ['maxMs'],
  });

export const alertsSchema = z
  .object({
    rttMs: duration('slow RTT threshold', 1, 600_000).default(DEFAULTS.alerts.rttMs),
    loss: z
      .number({ error: 'loss threshold must be a fraction between 0 and 1, such as 0.1 for 10 %' })
      .min(0, { error: 'loss threshold must be a fraction between 0 and 1, such as 0.1 for 10 %' })
      .max(1, { error: 'loss threshold must be a fraction between 0 and 1, such as 0.1 for 10 %' })
      .default(DEFAULTS.alerts.loss),
    downAfterMs: duration('down after', 0, 86_400_000).default(DEFAULTS.alerts.downAfterMs),
  })
  .strict();

/** The frame inspector's capture: what is kept of the last frames both ways (engine/frame-log.ts). */
export const framesSchema = z
  .object({
    capture: z.boolean({ error: 'frame capture must be true or false' }).default(DEFAULTS.frames.capture),
    count: wholeNumber('frames kept', 1, 100_000).default(DEFAULTS.frames.count),
    bytes: wholeNumber('frame bytes kept', 4096, 64 * 1024 * 1024).default(DEFAULTS.frames.bytes),
  })
  .strict();

/** The settings of one endpoint, as written (its preset not yet put underneath). */
const endpointObjectSchema = z
  .object(
    {
      /** A built-in preset (shared/presets/) whose settings lie under these. */
      preset: z.enum(PRESET_NAMES, { error: `preset must be one of ${PRESET_NAMES.join(', ')}` }).optional(),
      id: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'id must be 1-64 letters, digits, dots, dashes or underscores' })
        .optional(),
      name: z.string().trim().max(100, { error: 'name must be at most 100 characters' }).optional(),
      /** Groups the endpoint: the list and the overview group and filter by tag. */
      tags: z
        .array(
          boundedText('a tag', LIMITS.tagChars).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, {
            error: 'a tag is a letter or digit, then letters, digits, dots, dashes, colons or underscores (such as prod or eu-west)',
          }),
        )
        .max(LIMITS.tags, { error: `at most ${LIMITS.tags} tags` })
        .refine((t) => new Set(t).size === t.length, { error: 'tags must not repeat' })
        .default([]),
      url: z
        .string({ error: (iss) => (iss.input === undefined ? 'URL is required' : `URL must be text such as "ws://host/" (got ${typeof iss.input})`) })
        .trim()
        .min(1, { error: 'URL is required' })
        .max(LIMITS.urlChars, { error: `URL must be at most ${LIMITS.urlChars} characters` })
        .superRefine((url, ctx) => {
          const problem = urlProblem(url);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      headers: z
        .record(z.string(), boundedText('a header value', LIMITS.headerValueChars))
        .superRefine((h, ctx) => {
          if (Object.keys(h).length > LIMITS.headers) ctx.addIssue({ code: 'custom', message: `at most ${LIMITS.headers} headers` });
          for (const name of Object.keys(h)) {
            if (!HEADER_NAME.test(name)) ctx.addIssue({ code: 'custom', message: `"${name}" is not a valid header name` });
            else if (RESERVED_HEADERS.has(name.toLowerCase()))
              ctx.addIssue({ code: 'custom', message: `header "${name}" is set by the WebSocket handshake itself` });
            else if (!HEADER_VALUE.test(h[name]!))
              ctx.addIssue({
                code: 'custom',
                message: `the value of header "${name}" has a line break or another control character, which HTTP does not allow`,
              });
          }
        })
        .default({}),
      protocols: z
        .array(
          boundedText('a subprotocol', LIMITS.subprotocolChars).regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, {
            error: 'a subprotocol is a single token without spaces',
          }),
        )
        .max(LIMITS.subprotocols, { error: `at most ${LIMITS.subprotocols} subprotocols` })
        .refine((p) => new Set(p).size === p.length, { error: 'subprotocols must not repeat' })
        .default([]),
      rejectUnauthorized: z.boolean().default(DEFAULTS.rejectUnauthorized),
      caFile: boundedText('CA file', LIMITS.pathChars).min(1).optional(),
      /** A client certificate (PEM file) for servers that ask for one (mutual TLS), with its key. */
      clientCert: boundedText('client certificate file', LIMITS.pathChars).min(1, { error: 'client certificate file must be a path' }).optional(),
      clientKey: boundedText('client key file', LIMITS.pathChars).min(1, { error: 'client key file must be a path' }).optional(),
      /** The client key's passphrase, if it is encrypted: a secret (sealed at rest, never in events or exports). */
      clientKeyPassphrase: z.string().max(1024).optional(),
      /** `none`, a proxy URL, or absent: the environment's (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY). */
      proxy: z
        .string()
        .trim()
        .max(LIMITS.urlChars, { error: `proxy must be at most ${LIMITS.urlChars} characters` })
        .superRefine((p, ctx) => {
          const problem = proxyProblem(p);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional(),
      maxPayload: wholeNumber('max payload', 125, 1024 * 1024 * 1024).default(DEFAULTS.maxPayload),
      connectTimeoutMs: duration('connect timeout', 10, 600_000).default(DEFAULTS.connectTimeoutMs),
      heartbeat: heartbeatSchema.prefault({}),
      backoff: backoffSchema.prefault({}),
      alerts: alertsSchema.prefault({}),
      frames: framesSchema.prefault({}),
      /** Data expected at least every everyMs (optionally only messages matching a rule), else the endpoint is stale. */
      freshness: z
        .object({
          everyMs: duration('expected data period', 10, 86_400_000),
          match: pongMatchSchema.optional(),
        })
        .strict()
        .optional(),
      /** A protocol spoken on top of WebSocket (engine/protocols/): its handshake, heartbeat and refusals. */
      appProtocol: appProtocolSchema.optional(),
      /** Sent once the socket (and any appProtocol handshake) is open; `ack` must then arrive before the endpoint counts as up, `refuse` is the server saying no. */
      onOpen: z
        .object({
          send: z
            .array(payloadSchema('message on open'))
            .max(MAX_RULES, { error: `at most ${MAX_RULES} messages on open` })
            .default([]),
          ack: pongMatchSchema.optional(),
          refuse: pongMatchSchema.optional(),
        })
        .strict()
        .optional(),
      /** When a message matches `match`, answer `send` (how a client keeps a server's own heartbeat happy). */
      replies: z
        .array(z.object({ match: pongMatchSchema, send: payloadSchema('reply') }).strict())
        .max(MAX_RULES, { error: `at most ${MAX_RULES} reply rules` })
        .default([]),
    },
    { error: 'endpoint settings must be an object such as {"url": "ws://host/"}' },
  )
  .strict()
  .superRefine((c, ctx) => {
    if (!c.clientCert !== !c.clientKey) {
      const [path, other] = c.clientCert ? ['clientKey', 'certificate'] : ['clientCert', 'key'];
      ctx.addIssue({
        code: 'custom',
        path: [path],
        message: `a client ${other} needs its ${path === 'clientKey' ? 'key' : 'certificate'} too (clientCert and clientKey go together)`,
      });
    }
    if (c.clientKeyPassphrase !== undefined && !c.clientKey)
      ctx.addIssue({ code: 'custom', path: ['clientKeyPassphrase'], message: 'a key passphrase needs a client key' });
    if (c.heartbeat.lifeMatch && c.heartbeat.mode !== 'passive')
      ctx.addIssue({ code: 'custom', path: ['heartbeat', 'lifeMatch'], message: 'a liveness rule applies to passive watching only (--heartbeat passive)' });
    const p = c.appProtocol;
    const problem = p && (protocolDefinition(p.name).check as ((o: typeof p, e: typeof c) => { path: string; message: string } | null) | undefined)?.(p, c);
    if (problem) ctx.addIssue({ code: 'custom', path: problem.path.split('.'), message: problem.message });
  })
  .transform(settleAppProtocol);

/** One endpoint's settings, validated with its preset's underneath: every way settings arrive goes through this. */
export const endpointConfigSchema = z.preprocess(withPreset, endpointObjectSchema) as unknown as typeof endpointObjectSchema;

/** What a protocol implies, written into the settings so they show where wsmon really connects: its URL, its subprotocols. */
function settleAppProtocol<C extends { url: string; protocols: string[]; appProtocol?: AppProtocolConfig }>(c: C): C {
  if (!c.appProtocol) return c;
  const def = protocolDefinition(c.appProtocol.name);
  return { ...c, url: def.settleUrl?.(c.url) ?? c.url, protocols: c.protocols.length ? c.protocols : [...def.subprotocols] };
}

/** What a user writes: every field but `url` may be left out. */
export type EndpointConfigInput = z.input<typeof endpointConfigSchema>;
/** Validated settings with every default filled in: what the engine takes. */
export type EndpointSettings = z.output<typeof endpointConfigSchema>;
/** Settings whose id and name the monitor has settled. */
export type EndpointConfig = EndpointSettings & { id: string; name: string };
export type HeartbeatConfig = EndpointConfig['heartbeat'];
export type BackoffConfig = EndpointConfig['backoff'];

export function validateEndpoint(input: unknown): Validated<EndpointSettings> {
  const r = endpointConfigSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: toProblems(r.error) };
}

/** Parses what a user wrote, once, at the edge; the engine takes only the result. Throws ConfigError. */
export function parseEndpoint(input: unknown): EndpointSettings {
  const r = validateEndpoint(input);
  if (!r.ok) throw new ConfigError(r.problems);
  return r.value;
}

/** A readable default name: host, path and query of the (already redacted) URL. */
export function defaultName(url: string): string {
  const u = tryUrl(url);
  if (!u) return url;
  const path = u.pathname === '/' && !u.search ? '' : u.pathname;
  return `${u.host}${path}${u.search}`.slice(0, 100);
}

/** Settings whose change requires a new socket (everything but the name, the tags, the alert thresholds and the frame capture). */
export function needsReconnect(a: EndpointConfig, b: EndpointConfig): boolean {
  const strip = ({ name: _n, tags: _t, alerts: _a, frames: _f, ...rest }: EndpointConfig) => rest;
  return canonicalJson(strip(a)) !== canonicalJson(strip(b));
}

/** JSON with object keys sorted, so that equal settings compare equal whatever order they were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
