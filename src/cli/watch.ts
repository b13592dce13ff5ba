// `wsmon watch <url>...`: monitor URLs until Ctrl-C or --duration.
import { APP_PASSWORD_ENV, ENDPOINT_OPTIONS, endpointsFromCli, endpointTemplate, KEY_PASSPHRASE_ENV, parseCli, SESSION_OPTIONS } from './args';
import { APP_PROTOCOLS } from '../shared/app-protocol';
import { UsageError } from '../shared/errors';
import { sessionFlags, startHeadless } from './headless';
import { DEFAULTS, formatPongMatch, HEARTBEAT_MODES, JITTER_KINDS } from '../shared/config';
import { formatDuration } from '../shared/duration';
import { RTT_LOGGING } from '../shared/settings/app';

const d = formatDuration;

export const WATCH_HELP = `usage: wsmon watch [name=]<ws-url>... [options]

Monitors each URL until Ctrl-C (or --duration), then prints session-end.
Prefix a URL with name= to give the endpoint a short name.

  --json                     one JSON event per line on stdout
  --log FILE                 append the same JSON lines to FILE
  --log-rtt ${RTT_LOGGING.join('|')}       keep every rtt event in the log (default), or one summary per endpoint per minute
  --duration D               stop after D (e.g. 30s, 5m)
  --metrics HOST:PORT        serve Prometheus metrics at http://HOST:PORT/metrics
  --probe NAME               this probe's name on every series (default: the host name)
  --secret-name NAME         also mask this query parameter's value everywhere (repeatable;
                             WSMON_SECRET_NAMES=a,b does the same for every face)
  --heartbeat MODE           ${HEARTBEAT_MODES.join(' | ')} (default ${DEFAULTS.heartbeat.mode})
  --ping-interval D          time between heartbeats (default ${d(DEFAULTS.heartbeat.intervalMs)})
  --ping-timeout D           a heartbeat unanswered this long is a miss (default ${d(DEFAULTS.heartbeat.timeoutMs)})
  --misses N                 misses in a row before the peer is dead (default ${DEFAULTS.heartbeat.misses})
  --ping-payload TEXT        message-mode payload (default "${DEFAULTS.heartbeat.payload}"; {seq} is replaced)
  --pong-match RULE          message-mode answer: TEXT, /regex/flags or json:field=value (default "${formatPongMatch(DEFAULTS.heartbeat.match)}")
  --connect-timeout D        TCP + TLS + upgrade must finish within D (default ${d(DEFAULTS.connectTimeoutMs)})
  --backoff-initial D        first retry delay (default ${d(DEFAULTS.backoff.initialMs)})
  --backoff-max D            longest retry delay (default ${d(DEFAULTS.backoff.maxMs)})
  --backoff-multiplier X     growth per attempt (default ${DEFAULTS.backoff.multiplier})
  --jitter KIND              ${JITTER_KINDS.join(' | ')} (default ${DEFAULTS.backoff.jitter})
  --max-attempts N           give up after N retries (default: never)
  --reset-after D            attempts reset after D of healthy connection (default ${d(DEFAULTS.backoff.resetAfterMs)})
  --header "Name: value"     request header (repeatable)
  --protocol NAME            subprotocol to offer (repeatable)
  --insecure                 accept any TLS certificate
  --ca FILE                  trust this CA certificate (PEM)
  --cert FILE --key FILE     client certificate and key (PEM) for servers that ask for one;
                             an encrypted key's passphrase is read from ${KEY_PASSPHRASE_ENV}
  --expect-every D           data expected at least every D, else the endpoint is stale (still connected)
  --expect-match RULE        only messages matching RULE count as data (TEXT, /regex/ or json:field=value)
  --proxy URL                http://[user:pass@]host:port, socks5://host:port, or none
                             (default: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, minus NO_PROXY)
  --max-payload BYTES        largest message accepted (default ${DEFAULTS.maxPayload})

Protocols on top of WebSocket (the endpoint is up once their handshake is done):
  --app-protocol NAME        ${APP_PROTOCOLS.join(' | ')}
  --namespace /NSP           socketio: namespace to join (default /)
  --auth JSON                socketio: auth payload sent when joining
  --init-payload JSON        graphql-ws: connection_init payload
  --mqtt-version 4|5         mqtt: 4 is 3.1.1 (default 4)
  --client-id ID             mqtt: client id (default: wsmon-<random> per connection)
  --keepalive D              mqtt: keep-alive announced in CONNECT (default 60s)
  --user NAME                mqtt username or stomp login; the password or passcode is read from ${APP_PASSWORD_ENV}
  --stomp-host HOST          stomp: CONNECT host header (default: the URL's host)
  --rpc-method METHOD        json-rpc: the call used as the heartbeat (required)
  --rpc-params JSON          json-rpc: its params (array or object)
Building blocks, for any server:
  --send-on-open PAYLOAD     send once open (repeatable); TEXT, hex:c000 or base64:wAA=
  --ack RULE                 the endpoint is up only once a message matches RULE
  --refuse RULE              a message matching RULE is the server saying no (reported in its words)
  --reply "RULE => PAYLOAD"  answer messages matching RULE (repeatable): keeps a server's heartbeat happy
  --alive-match RULE         passive mode: only messages matching RULE prove the peer alive
`;

export async function watch(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv, { ...ENDPOINT_OPTIONS, ...SESSION_OPTIONS });
  if (values.help) {
    process.stdout.write(WATCH_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('watch needs at least one ws:// or wss:// URL');
  const endpoints = endpointsFromCli(positionals, endpointTemplate(values));
  const run = await startHeadless({ ...sessionFlags(values, values.json ? 'json' : 'lines'), endpoints });
  await run.done;
  return 0;
}
