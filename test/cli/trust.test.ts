// The trust edge, as an attacker would try it, on the built CLI and the real
// things: device nodes, FIFOs, symlinks, huge files and lines, pipes closed
// under a running command, hangups, hostile patterns. Nothing points at a
// real system file: every hostile path is made in a temporary folder.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, startCli, waitForLine } from '../helpers/cli';
import { startLab, type Lab } from '../lab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

const isRoot = process.getuid?.() === 0;
const tmp = () => mkdtempSync(join(tmpdir(), 'wsmon-trust-'));

describe('files: every file wsmon writes is a regular file or a new one, never through a symlink', () => {
  it('--log to a device node, a symlink to a 0644 file, a FIFO or a folder: exit 2, one sentence, nothing touched', async () => {
    const dir = tmp();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'someone else\n', { mode: 0o644 });
    const targets: [string, string][] = [
      [join(dir, 'link'), 'a symbolic link'],
      [join(dir, 'fifo'), 'a FIFO (named pipe)'],
      [join(dir, 'folder'), 'a folder'],
    ];
    symlinkSync(victim, targets[0]![0]);
    execFileSync('mkfifo', [targets[1]![0]]);
    mkdirSync(targets[2]![0]);
    if (isRoot) {
      // The null device's numbers, made in our own folder: as root, the old code left /dev/null crw-------.
      execFileSync('mknod', [join(dir, 'null'), 'c', '1', '3']);
      targets.push([join(dir, 'null'), 'a character device']);
    }
    for (const [path, kind] of targets) {
      const before = lstatSync(path).mode;
      const r = await runCli(['watch', lab.url('/'), '--duration', '200ms', '--log', path]);
      expect(r.code, path).toBe(2);
      expect(r.stderr).toBe(`wsmon watch: the session log "${path}" is ${kind}; wsmon writes regular files only\n`);
      expect(lstatSync(path).mode).toBe(before);
    }
    expect(readFileSync(victim, 'utf8')).toBe('someone else\n');
    expect(statSync(victim).mode & 0o777).toBe(0o644);
  });

  it('export -o through a symlink is refused; a new export file is 0600', async () => {
    const dir = tmp();
    const log = join(dir, 'session.jsonl');
    expect((await runCli(['watch', lab.url('/'), '--duration', '300ms', '--log', log])).code).toBe(0);
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep\n', { mode: 0o644 });
    symlinkSync(victim, join(dir, 'out.csv'));
    const r = await runCli(['export', log, '--format', 'csv', '-o', join(dir, 'out.csv')]);
    expect([r.code, r.stderr]).toEqual([2, `wsmon export: the export file "${join(dir, 'out.csv')}" is a symbolic link; wsmon writes regular files only\n`]);
    expect(readFileSync(victim, 'utf8')).toBe('keep\n');
    expect((await runCli(['export', log, '--format', 'csv', '-o', join(dir, 'new.csv')])).code).toBe(0);
    expect(statSync(join(dir, 'new.csv')).mode & 0o777).toBe(0o600);
  });
});

describe('files: every file wsmon reads goes through one gate, and no message quotes a file', () => {
  /** Starts `wsmon web --data DIR`, waits for its address, stops it with SIGTERM: it must start and end, whatever its files are. */
  async function webStartsAndStops(data: string): Promise<{ code: number | null; out: string }> {
    const web = startCli(['web', '--data', data]);
    await waitForLine(web.stdout, (l) => l.startsWith('wsmon web: http://'), 'the address', 15_000);
    web.child.kill('SIGTERM');
    const r = await web.result;
    return { code: r.code, out: r.stdout + r.stderr };
  }

  it('wsmon web --data: endpoints.json as a FIFO, as a symlink to a secret file, as a 2 GB file: starts, stops on SIGTERM, quotes nothing, copies nothing', async () => {
    const secret = join(tmp(), 'shadow');
    writeFileSync(secret, 'root:*:20202:0:99999:7:::\n');
    const cases: [string, (path: string) => void][] = [
      ['fifo', (p) => execFileSync('mkfifo', [p])],
      ['symlink', (p) => symlinkSync(secret, p)],
      ['2 GB', (p) => execFileSync('truncate', ['-s', '2G', p])],
    ];
    for (const [what, make] of cases) {
      const data = tmp();
      make(join(data, 'endpoints.json'));
      make(join(data, 'settings.json'));
      const r = await webStartsAndStops(data);
      expect(r.code, what).toBe(0);
      expect(r.out).not.toContain('root:');
      expect(readdirSync(data).filter((f) => f.includes('.broken-') || f.includes('.tmp-'))).toEqual([]);
    }
  }, 60_000);

  it('a config file that is not JSON is named by line and column, never quoted', async () => {
    const path = join(tmp(), 'endpoints.json');
    writeFileSync(path, 'root:*:20202:0:99999:7:::\n');
    const r = await runCli(['run', '--config', path]);
    expect([r.code, r.stderr]).toEqual([2, `wsmon run: --config: ${path}: not JSON at line 1, column 1\n`]);
  });

  it('bounded: a 20 MB URL is refused in a sentence; a log with a 50 MB line exports, the line skipped and counted', async () => {
    const config = join(tmp(), 'endpoints.json');
    writeFileSync(config, JSON.stringify({ version: 1, endpoints: [{ url: `ws://h/?q=${'a'.repeat(20_000_000)}` }] }));
    const r = await runCli(['run', '--config', config]);
    expect([r.code, r.stderr]).toEqual([2, `wsmon run: --config: ${config}: endpoints.0.url: URL must be at most 8192 characters\n`]);

    const dir = tmp();
    const log = join(dir, 'session.jsonl');
    expect((await runCli(['watch', lab.url('/'), '--duration', '300ms', '--log', log])).code).toBe(0);
    const fd = openSync(log, 'a');
    writeSync(fd, `{"v":1,"ts":"2026-01-01T00:00:00.000Z","mono":1,"type":"error","message":"${'x'.repeat(50_000_000)}"}\n`);
    closeSync(fd);
    const out = await runCli(['export', log, '--format', 'json', '-o', join(dir, 'out.json')]);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/; read \d+ events from 1 file, 1 unreadable line\(s\) skipped\n$/);
    expect(statSync(join(dir, 'out.json')).size).toBeLessThan(100_000);
  });

  it('every reader skips and counts malformed lines (a bad timestamp), never a stack', async () => {
    const dir = tmp();
    const log = join(dir, 'session.jsonl');
    expect((await runCli(['watch', lab.url('/'), '--duration', '300ms', '--log', log])).code).toBe(0);
    writeFileSync(log, `{"v":1,"ts":"x","mono":1,"type":"rtt","endpoint":"a","seq":1,"rttMs":1,"via":"ping"}\n${readFileSync(log, 'utf8')}`);
    for (const format of ['html', 'csv', 'json']) {
      const r = await runCli(['export', log, '--format', format, '-o', join(dir, `out.${format}`)]);
      expect([r.code, r.stderr.includes('    at ')]).toEqual([0, false]);
      expect(r.stderr).toMatch(/1 unreadable line\(s\) skipped\n$/);
    }
  });
});

describe('secrets: every output passes the redactor, whoever wrote the text', () => {
  it('a server that echoes the request (query token, api_key, the Authorization header) in its refusal: no secret reaches stdout, --json or the log', async () => {
    // A real HTTP server that refuses every upgrade and puts what it was sent into its status line.
    const { createServer } = await import('node:http');
    const echo = createServer();
    echo.on('upgrade', (req, socket) => {
      // A run that ends while an attempt is under way resets its connection: not this test's subject, and no error of the test's process.
      socket.on('error', () => {});
      socket.end(`HTTP/1.1 403 denied ${req.method} ${req.url} auth=${req.headers.authorization}\r\nContent-Length: 0\r\n\r\n`);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const port = (echo.address() as import('node:net').AddressInfo).port;
      const url = `ws://TOKENUSER1@127.0.0.1:${port}/x;token=matr1xs3cret?token=qu3rys3cret&api_key=ap1k3ys3cret&room=7`;
      const log = join(tmp(), 'session.jsonl');
      const secrets = /TOKENUSER1|matr1xs3cret|qu3rys3cret|ap1k3ys3cret|b3ar3rs3cret/;
      for (const view of [['--json'], []]) {
        const r = await runCli([
          'watch',
          url,
          '--header',
          'Authorization: Bearer b3ar3rs3cret',
          '--duration',
          '600ms',
          '--backoff-initial',
          '100ms',
          '--log',
          log,
          ...view,
        ]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/HTTP.?403/);
        expect(r.stdout + r.stderr).not.toMatch(secrets);
      }
      expect(readFileSync(log, 'utf8')).toContain('denied GET /x;token=***?token=***&api_key=***&room=7 auth=***');
      expect(readFileSync(log, 'utf8')).not.toMatch(secrets);
    } finally {
      await new Promise((r) => echo.close(r));
    }
  });
});

describe('outputs: one escaping, and a closed stdout ends quietly', () => {
  it("CSV escapes a server's control characters (ESC, BEL, U+202E) like every other text output", async () => {
    const dir = tmp();
    const log = join(dir, 'session.jsonl');
    writeFileSync(
      log,
      `${JSON.stringify({ v: 1, ts: '2026-01-01T00:00:00.000Z', mono: 1, endpoint: 'a', type: 'close', code: 1011, reason: 'x\u001b]0;pwned\u0007\u202Eevil', wasClean: true, initiator: 'server', uptimeMs: 5 })}\n`,
    );
    const r = await runCli(['export', log, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(r.stdout).toContain('x\\x1b]0;pwned\\x07\\u202eevil');
  });

  /** Runs the CLI with its stdout closed after the first chunk (`| head -c 10`), or before anything is read (`| head -0`). */
  function withReaderGone(args: string[], readFirst = true): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (readFirst) child.stdout.once('data', () => child.stdout.destroy());
    else child.stdout.destroy();
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  }

  it('export | head, lab | head: exit 0, no stack', async () => {
    const dir = tmp();
    const log = join(dir, 'session.jsonl');
    expect((await runCli(['watch', lab.url('/'), '--duration', '1s', '--ping-interval', '50ms', '--log', log, '--log-rtt', 'all'])).code).toBe(0);
    // Large enough that the export is still writing when its reader goes.
    writeFileSync(log, readFileSync(log, 'utf8').repeat(200));
    for (const format of ['json', 'csv', 'html'])
      expect(await withReaderGone(['export', log, '--format', format])).toEqual({ code: 0, stderr: expect.not.stringMatching(/EPIPE| {4}at /) });
    expect(await withReaderGone(['lab'], false)).toEqual({ code: 0, stderr: '' });
  });

  it('a hangup ends watch like SIGTERM: every event printed is in the log, session-end last, exit 0', async () => {
    const log = join(tmp(), 'session.jsonl');
    const run = startCli(['watch', lab.url('/'), '--json', '--ping-interval', '50ms', '--log', log]);
    await waitForLine(run.stdout, (l) => l.includes('"seq":5'), 'five beats');
    run.child.kill('SIGHUP');
    const r = await run.result;
    expect([r.code, r.signal]).toEqual([0, null]);
    const logged = readFileSync(log, 'utf8');
    expect(logged).toBe(r.stdout);
    expect(logged.trimEnd().split('\n').at(-1)).toContain('"type":"session-end"');
  });
});

describe('user patterns run in linear time', () => {
  it('/^(a+)+$/ against a server\'s "aaaa…!" answers: the watch ends on time, its patterns never freezing it', async () => {
    const url = lab.url('/', { appPong: `${'a'.repeat(40)}!` });
    const r = await runCli([
      'watch',
      url,
      '--heartbeat',
      'message',
      '--pong-match',
      '/^(a+)+$/',
      '--ping-interval',
      '50ms',
      '--ping-timeout',
      '100ms',
      '--misses',
      '100',
      '--duration',
      '1500ms',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toContain('"type":"session-end"');
    expect(r.stdout).toContain('"type":"heartbeat-missed"'); // the answers came and were judged: no match
  });

  it('syntax the linear-time engine does not support is refused in a sentence', async () => {
    const r = await runCli(['watch', lab.url('/'), '--heartbeat', 'message', '--pong-match', '/(a)\\1/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^wsmon watch: --pong-match: .*invalid regular expression for wsmon's linear-time engine \(RE2\): invalid escape sequence: `\\1`; lookahead, lookbehind and backreferences are not supported\n$/,
    );
  });
});
