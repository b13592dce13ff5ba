// Every endpoint setting, described once (shared/settings/setting.ts says what
// a description holds). The schema that validates them is shared/config.ts;
// each protocol's own options are described with its definition in
// shared/app-protocols/. The command line, its --help, the window's form, the
// secret list and the README's tables are made from these.
import { APP_PROTOCOL_DEFINITIONS, protocolDefinition, type AppProtocolName } from '../app-protocols';
import { DEFAULTS, HEARTBEAT_MODES, JITTER_KINDS } from '../config';
import { PRESETS } from '../presets';
import { getPath, type Setting } from './setting';

/** Where the CLI reads an encrypted client key's passphrase: not a flag, which every user can read in the process list. */
export const KEY_PASSPHRASE_ENV = 'WSMON_KEY_PASSPHRASE';

const choices = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

export const ENDPOINT_SETTINGS: readonly Setting[] = [
  // Basic: what a person fills in first.
  { path: 'url', kind: 'text', group: 'basic', label: 'URL', help: '`ws://` or `wss://` only; no `#fragment`', defaultText: '— (required)' },
  {
    path: 'name',
    kind: 'text',
    group: 'basic',
    label: 'Name',
    help: 'shown everywhere instead of the URL',
    defaultText: 'host + path + query (secrets masked)',
  },
  {
    path: 'tags',
    kind: 'list',
    group: 'basic',
    label: 'Tags',
    help: 'groups the endpoint (`prod`, `eu`): the list groups and filters by tag',
    flag: 'tag',
    arg: 'TAG',
    defaultText: 'none',
  },
  {
    path: 'appProtocol.name',
    kind: 'choice',
    group: 'basic',
    label: 'Application protocol',
    help: 'a protocol spoken on top: its handshake must complete before the endpoint is up, and it decides the heartbeat',
    flag: 'app-protocol',
    arg: 'NAME',
    choices: APP_PROTOCOL_DEFINITIONS.map((d) => ({ value: d.name, label: d.label })),
    defaultText: 'none (plain WebSocket)',
  },
  {
    path: 'preset',
    kind: 'choice',
    group: 'basic',
    label: 'Preset',
    help: "the settings a known service needs (Phoenix, ActionCable, SignalR, Pusher, a subscribe-first feed), under this endpoint's own",
    flag: 'preset',
    arg: 'NAME',
    choices: PRESETS.map((p) => ({ value: p.name, label: p.label })),
    defaultText: 'none',
  },
  {
    path: 'heartbeat.mode',
    kind: 'choice',
    group: 'basic',
    label: 'Heartbeat mode',
    help: "`ping`: RFC 6455 ping frames · `message`: an application payload matched by a rule · `passive`: the server's own pings or any traffic",
    flag: 'heartbeat',
    arg: 'MODE',
    choices: choices(HEARTBEAT_MODES),
  },
  {
    path: 'heartbeat.intervalMs',
    kind: 'duration',
    group: 'basic',
    label: 'Interval',
    help: 'time between heartbeats (passive: the expected traffic period)',
    flag: 'ping-interval',
    arg: 'D',
  },

  {
    path: 'heartbeat.networkRtt',
    kind: 'toggle',
    group: 'basic',
    label: 'Network RTT',
    help: "read the kernel's smoothed RTT of the connection's own TCP socket with each heartbeat answer (no extra traffic): the path's share of the RTT, beside the server's",
    flag: 'no-network-rtt',
    flagSets: false,
  },

  // Timeouts and backoff.
  {
    path: 'heartbeat.timeoutMs',
    kind: 'duration',
    group: 'timing',
    label: 'Timeout',
    help: 'a heartbeat unanswered this long is a miss',
    flag: 'ping-timeout',
    arg: 'D',
  },
  {
    path: 'heartbeat.misses',
    kind: 'int',
    group: 'timing',
    label: 'Misses before dead',
    help: 'misses in a row before the peer is declared dead and the socket terminated',
    flag: 'misses',
    arg: 'N',
  },
  {
    path: 'connectTimeoutMs',
    kind: 'duration',
    group: 'timing',
    label: 'Connect timeout',
    help: 'TCP + TLS + HTTP upgrade must finish in this time (`ETIMEDOUT`); the TCP connect alone within one heartbeat interval, 1–3 s (`TCP_TIMEOUT`)',
    flag: 'connect-timeout',
    arg: 'D',
  },
  { path: 'backoff.initialMs', kind: 'duration', group: 'timing', label: 'Initial delay', help: 'the first retry delay', flag: 'backoff-initial', arg: 'D' },
  {
    path: 'backoff.multiplier',
    kind: 'number',
    group: 'timing',
    label: 'Multiplier',
    help: 'growth of the delay per attempt',
    flag: 'backoff-multiplier',
    arg: 'X',
  },
  { path: 'backoff.maxMs', kind: 'duration', group: 'timing', label: 'Max delay', help: 'cap on the delay', flag: 'backoff-max', arg: 'D' },
  {
    path: 'backoff.jitter',
    kind: 'choice',
    group: 'timing',
    label: 'Jitter',
    help: '`full`: uniform in [0, d) · `equal`: d/2 + uniform [0, d/2) · `decorrelated`: uniform [initial, 3 × previous), capped · `none`: d',
    flag: 'jitter',
    arg: 'KIND',
    choices: choices(JITTER_KINDS),
  },
  {
    path: 'backoff.maxAttempts',
    kind: 'int',
    group: 'timing',
    label: 'Max attempts',
    help: 'after this many failed retries the endpoint stops with `gave-up`',
    flag: 'max-attempts',
    arg: 'N',
    emptyIsNull: true,
    defaultText: 'never give up',
  },
  {
    path: 'backoff.resetAfterMs',
    kind: 'duration',
    group: 'timing',
    label: 'Reset after',
    help: 'the attempt count resets only after the connection stayed open this long',
    flag: 'reset-after',
    arg: 'D',
  },

  // TLS and proxy.
  {
    path: 'rejectUnauthorized',
    kind: 'toggle',
    group: 'tls',
    label: 'Verify TLS certificate',
    help: "verify the server's TLS certificate",
    flag: 'insecure',
    flagSets: false,
  },
  {
    path: 'caFile',
    kind: 'text',
    group: 'tls',
    label: 'CA file',
    help: 'PEM file of an extra trusted CA (a regular file of at most 1 MiB, read once when the endpoint is added)',
    flag: 'ca',
    arg: 'FILE',
    defaultText: 'none',
  },
  {
    path: 'clientCert',
    kind: 'text',
    group: 'tls',
    label: 'Client certificate',
    help: 'PEM file of a client certificate, for servers that require one (mutual TLS); read and checked with its key once',
    flag: 'cert',
    arg: 'FILE',
    defaultText: 'none',
  },
  {
    path: 'clientKey',
    kind: 'text',
    group: 'tls',
    label: 'Client key',
    help: "PEM file of the client certificate's key",
    flag: 'key',
    arg: 'FILE',
    defaultText: 'none',
  },
  {
    path: 'clientKeyPassphrase',
    kind: 'secret',
    group: 'tls',
    label: 'Key passphrase',
    help: 'passphrase of an encrypted client key',
    env: KEY_PASSPHRASE_ENV,
    secret: true,
    requires: 'clientKey',
    defaultText: 'none',
  },
  {
    path: 'proxy',
    kind: 'text',
    group: 'tls',
    label: 'Proxy',
    help: '`http://[user:pass@]host:port`, `https://…`, `socks5://…` (`socks5h://` resolves names at the proxy, `socks4://` too), or `none`; unset, `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` decide',
    flag: 'proxy',
    arg: 'URL',
    defaultText: 'the environment',
  },

  // Headers, subprotocols and limits.
  {
    path: 'headers',
    kind: 'headers',
    group: 'http',
    label: 'Headers',
    help: 'extra handshake headers, "Name: value"; names are checked, `Host`, `Upgrade`, `Sec-WebSocket-*` … are refused; values are secrets',
    flag: 'header',
    arg: '"Name: value"',
    secret: true,
    defaultText: 'none',
  },
  {
    path: 'protocols',
    kind: 'list',
    group: 'http',
    label: 'Subprotocols',
    help: 'subprotocols offered',
    flag: 'protocol',
    arg: 'NAME',
    defaultText: "none, or the application protocol's",
  },
  {
    path: 'maxPayload',
    kind: 'int',
    group: 'http',
    label: 'Max payload',
    help: 'the largest message accepted, in bytes; a larger one closes the connection with 1009',
    flag: 'max-payload',
    arg: 'BYTES',
  },

  // Building blocks: heartbeats and rules for any server.
  {
    path: 'heartbeat.payload',
    kind: 'text',
    group: 'blocks',
    label: 'Ping payload',
    help: "message mode: the payload; `{seq}` is replaced by the beat's number; `hex:…` or `base64:…` sends binary",
    flag: 'ping-payload',
    arg: 'TEXT',
  },
  {
    path: 'heartbeat.match',
    kind: 'rule',
    group: 'blocks',
    label: 'Pong match',
    help: 'message mode: the answer, `TEXT`, `/regex/flags` or `json:field.path=value`; `{seq}` in it ties the answer to its beat',
    flag: 'pong-match',
    arg: 'RULE',
  },
  {
    path: 'heartbeat.lifeMatch',
    kind: 'rule',
    group: 'blocks',
    label: 'Liveness rule',
    help: 'passive mode: only messages matching this rule prove the peer alive',
    flag: 'alive-match',
    arg: 'RULE',
    defaultText: 'any frame',
  },
  {
    path: 'onOpen.send',
    kind: 'lines',
    group: 'blocks',
    label: 'Send on open',
    help: 'messages sent once open, one per line; `hex:…` or `base64:…` for binary',
    flag: 'send-on-open',
    arg: 'PAYLOAD',
    defaultText: 'none',
  },
  {
    path: 'onOpen.ack',
    kind: 'rule',
    group: 'blocks',
    label: 'Acknowledgement',
    help: 'the endpoint is up only once a message matches this rule',
    flag: 'ack',
    arg: 'RULE',
    defaultText: 'none',
  },
  {
    path: 'onOpen.refuse',
    kind: 'rule',
    group: 'blocks',
    label: 'Refusal',
    help: 'a message matching this rule is the server saying no (reported in its words)',
    flag: 'refuse',
    arg: 'RULE',
    defaultText: 'none',
  },
  {
    path: 'replies',
    kind: 'replies',
    group: 'blocks',
    label: 'Replies',
    help: 'answer messages matching RULE with PAYLOAD, one "RULE => PAYLOAD" per line (at most 16): keeps a server\'s heartbeat happy',
    flag: 'reply',
    arg: '"RULE => PAYLOAD"',
    defaultText: 'none',
  },
  {
    path: 'freshness.everyMs',
    kind: 'duration',
    group: 'blocks',
    label: 'Expect data every',
    help: 'data expected at least this often, else the endpoint is **stale** while staying connected',
    flag: 'expect-every',
    arg: 'D',
    defaultText: 'off',
  },
  {
    path: 'freshness.match',
    kind: 'rule',
    group: 'blocks',
    label: 'Data rule',
    help: 'only messages matching this rule count as data',
    flag: 'expect-match',
    arg: 'RULE',
    requires: 'freshness.everyMs',
    defaultText: 'any message',
  },

  // Alerts: what this endpoint's health is judged by.
  {
    path: 'alerts.rttMs',
    kind: 'duration',
    group: 'alerts',
    label: 'Slow RTT threshold',
    help: 'above this last RTT the endpoint is degraded',
    flag: 'alert-rtt',
    arg: 'D',
  },
  {
    path: 'alerts.loss',
    kind: 'number',
    group: 'alerts',
    label: 'Loss threshold',
    help: 'above this heartbeat loss (a fraction, 0.1 is 10 %) the endpoint is degraded',
    flag: 'alert-loss',
    arg: 'FRACTION',
  },
  {
    path: 'alerts.downAfterMs',
    kind: 'duration',
    group: 'alerts',
    label: 'Down after',
    help: 'an outage longer than this is "down": the tray, a notice (a quicker reconnect is no alarm)',
    flag: 'down-after',
    arg: 'D',
  },

  // The frame inspector: what is kept of the last frames both ways.
  {
    path: 'frames.capture',
    kind: 'toggle',
    group: 'frames',
    label: 'Capture frames',
    help: "keep the last frames both ways (wsmon's heartbeats included, marked) and the handshake, for the Frames view, `watch --frames` and the HAR export",
    flag: 'no-frames',
    flagSets: false,
  },
  {
    path: 'frames.count',
    kind: 'int',
    group: 'frames',
    label: 'Frames kept',
    help: 'at most this many frames are kept; older ones give way',
    flag: 'frames-count',
    arg: 'N',
  },
  {
    path: 'frames.bytes',
    kind: 'int',
    group: 'frames',
    label: 'Frame bytes kept',
    help: "at most this many bytes of frames (payload and 64 B each) and handshakes are kept; a frame's payload is kept up to 16 KiB (and a quarter of this), its size always",
    flag: 'frames-bytes',
    arg: 'BYTES',
  },
];

/** A setting, or a protocol's option (which says whose it is). */
export type EndpointSetting = Setting & { protocol?: AppProtocolName };

/** A protocol's options as settings with their paths within the endpoint's (appProtocol.namespace …). */
export function protocolSettings(name: AppProtocolName): EndpointSetting[] {
  return (protocolDefinition(name).settings as readonly Setting[]).map((s) => ({ ...s, path: `appProtocol.${s.path}`, protocol: name }));
}

/** Every setting, the protocols' options included (each once per protocol): for the flag list, the secret list and the README. */
export const ALL_SETTINGS: readonly EndpointSetting[] = [...ENDPOINT_SETTINGS, ...APP_PROTOCOL_DEFINITIONS.flatMap((d) => protocolSettings(d.name))];

/** A setting's default as a person types it, or the words for it ("none", "the environment"). */
export function defaultOf(s: EndpointSetting): unknown {
  if (s.protocol) {
    const parsed = protocolDefinition(s.protocol).schema.safeParse({ name: s.protocol });
    return parsed.success ? getPath({ appProtocol: parsed.data }, s.path) : undefined;
  }
  return getPath(DEFAULTS, s.path);
}
