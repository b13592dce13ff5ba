import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventLine } from '../../src/core/log/session-log';
import type { WsmonEvent } from '../../src/shared/events';
import { runCli, startCli, waitForLine } from '../helpers/cli';
import { startLab, type Lab } from '../lab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

function parseLines(stdout: string): WsmonEvent[] {
  const lines = stdout.trimEnd().split('\n');
  return lines.map((l) => {
    const e = parseEventLine(l);
    if (!e) throw new Error(`not an event line: ${l}`);
    return e;
  });
}

describe('wsmon watch --json', () => {
  it('prints exactly one event per line: session-start, endpoint-added per URL, ..., session-end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-cli-'));
    const log = join(dir, 'session.jsonl');
    const good = lab.url('/good', { pongDelay: 20 });
    const bad = lab.url('/bad', { refuse: 503 });
    const r = await runCli([
      'watch',
      good,
      bad,
      '--json',
      '--duration',
      '1500ms',
      '--ping-interval',
      '200ms',
      '--jitter',
      'none',
      '--backoff-initial',
      '300ms',
      '--log',
      log,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const events = parseLines(r.stdout);
    expect(events[0]).toMatchObject({ type: 'session-start', app: 'wsmon', v: 1 });
    expect(events.slice(1, 3)).toMatchObject([
      { type: 'endpoint-added', url: good },
      { type: 'endpoint-added', url: bad },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'session-end' });
    const [goodId, badId] = [events[1]!.endpoint, events[2]!.endpoint];
    const rtts = events.filter((e) => e.endpoint === goodId && e.type === 'rtt');
    expect(rtts.length).toBeGreaterThanOrEqual(3);
    for (const e of rtts) expect(e.type === 'rtt' && e.rttMs).toBeGreaterThanOrEqual(20);
    expect(events.find((e) => e.endpoint === badId && e.type === 'error')).toMatchObject({ code: 'HTTP_503' });
    // Monotonic times never go backwards, and every event is stamped.
    for (let i = 1; i < events.length; i++) expect(events[i]!.mono).toBeGreaterThanOrEqual(events[i - 1]!.mono);
    // --log holds the same lines.
    expect(readFileSync(log, 'utf8')).toBe(r.stdout);
  });

  it('stops quietly when its reader goes away (| head)', async () => {
    const run = startCli(['watch', lab.url('/'), '--json', '--ping-interval', '50ms']);
    await waitForLine(run.stdout, (l) => l.includes('"type":"rtt"'), 'an rtt line');
    run.child.stdout!.destroy();
    const r = await run.result;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('ends cleanly on Ctrl-C with session-end and exit 0', async () => {
    const run = startCli(['watch', lab.url('/'), '--json', '--ping-interval', '100ms']);
    await waitForLine(run.stdout, (l) => l.includes('"type":"rtt"'), 'an rtt line');
    run.child.kill('SIGINT');
    const r = await run.result;
    expect(r.code).toBe(0);
    const events = parseLines(r.stdout);
    expect(events.at(-2)).toMatchObject({ type: 'close', initiator: 'client', code: 1000 });
    expect(events.at(-1)).toMatchObject({ type: 'session-end' });
  });

  it("--preset puts a service's settings under the flags: Pusher against a lab peer that speaks it", async () => {
    const r = await runCli([
      'watch',
      lab.url('/app/key', { speaks: 'pusher' }),
      '--preset',
      'pusher',
      '--ping-interval',
      '100ms',
      '--ping-timeout',
      '80ms',
      '--duration',
      '700ms',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const rtts = parseLines(r.stdout).filter((e) => e.type === 'rtt');
    expect(rtts.length).toBeGreaterThanOrEqual(3);
    expect(rtts.every((e) => e.type === 'rtt' && e.via === 'message')).toBe(true);
  });

  it('without --json prints a readable line per event', async () => {
    const r = await runCli(['watch', lab.url('/', { pongDelay: 10 }), '--duration', '700ms', '--ping-interval', '200ms']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/session-start +wsmon [\d.]+ started/);
    expect(r.stdout).toMatch(/open .*handshake/);
    // With the network's RTT of the same socket (Linux, where the tests run).
    expect(r.stdout).toMatch(/rtt +\d+\.\d+ ms \(ping #\d+, network \d+\.\d+ ms\)/);
    expect(lines.at(-1)).toMatch(/session-end +wsmon [\d.]+ stopped/);
  });
});

describe('wsmon watch: bad arguments exit 2 with one sentence naming the problem', () => {
  const fifo = join(mkdtempSync(join(tmpdir(), 'wsmon-fifo-')), 'ca.pem');
  execFileSync('mkfifo', [fifo]);
  const cases: [string, string[], RegExp][] = [
    ['unknown flag', ['watch', 'ws://127.0.0.1:1/', '--pingg', '1s'], /^wsmon watch: unknown option --pingg \(did you mean --ping-interval\?\)\n$/],
    ['a typo in a flag', ['watch', 'ws://127.0.0.1:1/', '--jiter', 'none'], /^wsmon watch: unknown option --jiter \(did you mean --jitter\?\)\n$/],
    ['a flag like none', ['watch', 'ws://127.0.0.1:1/', '--frobnicate'], /^wsmon watch: unknown option --frobnicate\n$/],
    ['bad duration', ['watch', 'ws://127.0.0.1:1/', '--ping-interval', 'soon'], /--ping-interval must be a duration such as 250ms, 5s or 2m \(got "soon"\)/],
    ['http URL', ['watch', 'http://127.0.0.1:1/'], /URL must start with ws:\/\/ or wss:\/\/ \(this one starts with http:\/\/\)/],
    ['missing URL', ['watch', '--json'], /needs at least one ws:\/\/ or wss:\/\/ URL/],
    ['bad jitter', ['watch', 'ws://h/', '--jitter', 'lots'], /--jitter must be one of full, equal, decorrelated, none \(got "lots"\)/],
    [
      'history kept for days not offered',
      ['watch', 'ws://h/', '--history-days', '14'],
      /^wsmon watch: --history-days must be one of 7, 30, 90, 365 \(got "14"\)\n$/,
    ],
    ['bad header', ['watch', 'ws://h/', '--header', 'nocolon'], /--header/],
    ['--expect-match without --expect-every', ['watch', 'ws://h/', '--expect-match', 'price'], /^wsmon watch: --expect-match goes with --expect-every D/],
    [
      'a proxy that is not one',
      ['watch', 'ws://h/', '--proxy', 'ftp://p:21'],
      /^wsmon watch: --proxy: a proxy URL starts with http:\/\/, https:\/\/ or socks5:\/\/ \(this one starts with ftp:\/\/\)\n$/,
    ],
    ['a client certificate without its key', ['watch', 'wss://h/', '--cert', '/etc/hostname'], /^wsmon watch: --key: a client certificate needs its key too/],
    [
      'a header value with CR/LF',
      ['watch', 'ws://h/', '--header', 'X-A: a\r\nX-B: 1'],
      /^wsmon watch: --header: the value of header "X-A" has a line break or another control character, which HTTP does not allow\n$/,
    ],
    ['missing CA file', ['watch', 'wss://h/', '--ca', '/no/such/ca.pem'], /--ca.*\/no\/such\/ca\.pem/],
    [
      'a CA "file" that is a FIFO (it would block for ever)',
      ['watch', 'wss://h/', '--ca', fifo, '--duration', '60s'],
      /^wsmon watch: --ca: the CA file ".*" is a FIFO \(named pipe\); wsmon reads regular files only\n$/,
    ],
    [
      'a CA "file" that never ends',
      ['watch', 'wss://h/', '--ca', '/dev/zero'],
      /^wsmon watch: --ca: the CA file "\/dev\/zero" is a character device; wsmon reads regular files only\n$/,
    ],
    [
      'a config "file" that is a FIFO',
      ['run', '--config', fifo],
      /^wsmon run: --config: the config file ".*" is a FIFO \(named pipe\); wsmon reads regular files only\n$/,
    ],
    [
      'a log to export that never ends',
      ['export', '/dev/zero'],
      /^wsmon export: the session log "\/dev\/zero" is a character device; wsmon reads regular files only\n$/,
    ],
    [
      'a past log that is a FIFO',
      ['web', '--open', fifo],
      /^wsmon web: --open: the session log ".*" is a FIFO \(named pipe\); wsmon reads regular files only\n$/,
    ],
    [
      'an unknown application protocol',
      ['watch', 'ws://h/', '--app-protocol', 'amqp'],
      /^wsmon watch: --app-protocol must be one of socketio, graphql-ws, mqtt, stomp, json-rpc \(got "amqp"\)\n$/,
    ],
    ['a protocol option without --app-protocol', ['watch', 'ws://h/', '--namespace', '/admin'], /^wsmon watch: --namespace goes with --app-protocol/],
    [
      'an option of another protocol',
      ['watch', 'ws://h/', '--app-protocol', 'mqtt', '--namespace', '/admin'],
      /^wsmon watch: --namespace does not apply to --app-protocol mqtt \(its options: --mqtt-version, --client-id, --keepalive, --user, \$WSMON_APP_PASSWORD\)\n$/,
    ],
    [
      'json-rpc without its method',
      ['watch', 'ws://h/', '--app-protocol', 'json-rpc'],
      /^wsmon watch: --rpc-method: JSON-RPC needs a method to call as the heartbeat\n$/,
    ],
    ['auth that is not JSON', ['watch', 'ws://h/', '--app-protocol', 'socketio', '--auth', '{token'], /^wsmon watch: --auth must be JSON/],
    [
      'an MQTT keep-alive shorter than the heartbeat',
      ['watch', 'ws://h/', '--app-protocol', 'mqtt', '--keepalive', '5s', '--ping-interval', '10s'],
      /^wsmon watch: --keepalive: MQTT keep-alive \(5s\) must not be shorter than the heartbeat interval/,
    ],
    ['a reply without =>', ['watch', 'ws://h/', '--reply', 'ping pong'], /^wsmon watch: --reply must be "RULE => PAYLOAD"/],
    [
      'hex that is not hex',
      ['watch', 'ws://h/', '--heartbeat', 'message', '--ping-payload', 'hex:c0z'],
      /^wsmon watch: --ping-payload: ping payload: "hex:c0z" is not hex/,
    ],
    [
      'a liveness rule outside passive mode',
      ['watch', 'ws://h/', '--alive-match', 'tick'],
      /^wsmon watch: --alive-match: a liveness rule applies to passive watching only/,
    ],
    ['unknown command', ['wtach'], /unknown command "wtach"/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }
});
