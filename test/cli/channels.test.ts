// Alert channels from the command line, through the built CLI: `wsmon channels`
// sends a test to each; `watch --channel` and a config file's "channels" get
// the notices; a failing channel is said on stderr.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, waitForLine } from '../helpers/cli';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../helpers/receivers';
import { waitFor } from '../helpers/wait';
import { startLab, type Lab } from '../lab';

describe('alert channels on the command line', () => {
  let http: HttpReceiver;
  let smtp: SmtpReceiver;
  let lab: Lab;
  beforeEach(async () => {
    http = await startHttpReceiver();
    smtp = await startSmtpReceiver({ user: 'alerts', password: 'pw-from-env' });
    lab = await startLab();
  });
  afterEach(async () => {
    await http.close();
    await smtp.close();
    await lab.stop();
  });

  it('wsmon channels sends a test to each and says how it went; one failing makes the exit code 1', async () => {
    const email = `email=smtp://alerts@127.0.0.1:${smtp.port}?from=wsmon@example.com&to=ops@example.com`;
    const ok = await runCli(['channels', '--channel', `webhook=${http.url('/hook')}`, '--channel', email], { WSMON_SMTP_PASSWORD: 'pw-from-env' });
    expect(ok.stdout).toBe('webhook 127.0.0.1: test sent\nemail 127.0.0.1: test sent\n');
    expect(ok.code).toBe(0);
    expect(JSON.parse(http.received[0]!.body)).toMatchObject({ wsmon: 1, event: 'test' });
    expect(smtp.mails).toHaveLength(1);

    const bad = await runCli(['channels', '--channel', email], { WSMON_SMTP_PASSWORD: 'not-it' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^email 127\.0\.0\.1: failed: 127\.0\.0\.1:\d+: .*Invalid username or password/);
    expect(bad.stdout).not.toContain('not-it');
    expect((await runCli(['channels'])).stderr).toBe('wsmon channels: no channel to test: give --channel KIND=URL or --config FILE with "channels"\n');
  });

  it('watch --channel: a down endpoint reaches the channel; a channel that fails is said on stderr', async () => {
    lab.route('/refused', { refuse: 503 });
    const cli = startCli([
      'watch',
      '--lines',
      `api=${lab.url('/refused')}`,
      '--down-after',
      '0s',
      '--backoff-initial',
      '10s',
      '--channel',
      `slack=${http.url('/slack/T/B/x')}`,
      '--channel',
      'webhook=http://127.0.0.1:1/unreachable',
    ]);
    await waitFor(
      () => http.received.length,
      (n) => n === 1,
      'the notice at the slack receiver',
    );
    expect(JSON.parse(http.received[0]!.body).text).toMatch(/^\*api is down\*\nHTTP_503 during handshake/);
    await waitForLine(
      cli.stderr,
      (l) => /^wsmon: channel webhook 127\.0\.0\.1 failing: 127\.0\.0\.1:1 could not be reached \(bad port\) \(retrying at \d\d:\d\d:\d\d UTC\)$/.test(l),
      'the failing channel',
    );
    cli.child.kill('SIGINT');
    expect((await cli.result).code).toBe(0);
  });

  it('run --config: the file\'s "channels" get the notices', async () => {
    lab.route('/gone', { refuse: 503 });
    const path = join(mkdtempSync(join(tmpdir(), 'wsmon-channels-')), 'endpoints.json');
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        endpoints: [{ name: 'gone', url: lab.url('/gone'), alerts: { downAfterMs: 0 }, backoff: { initialMs: 10_000 } }],
        channels: [{ kind: 'ntfy', url: http.url('/wsmon-topic'), name: 'phone' }],
      }),
    );
    const cli = startCli(['run', '--config', path, '--lines']);
    await waitFor(
      () => http.received.length,
      (n) => n === 1,
      'the notice at ntfy',
    );
    expect(JSON.parse(http.received[0]!.body)).toMatchObject({ topic: 'wsmon-topic', title: 'gone is down', priority: 4 });
    cli.child.kill('SIGINT');
    expect((await cli.result).code).toBe(0);
  });
});
