// wsmon run, metrics, the terminal view and the demo, end to end through the built CLI.
import { execFileSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { parseEventLine } from '../../src/core/log/session-log';
import type { WsmonEvent } from '../../src/shared/events';
import { BIN, runCli, startCli, waitForLine } from '../helpers/cli';
import { startLab, type Lab } from '../lab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

const events = (stdout: string): WsmonEvent[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => parseEventLine(l)!);
const FAST = { heartbeat: { intervalMs: 200, timeoutMs: 150 }, backoff: { initialMs: 200, maxMs: 1000, jitter: 'none' } };

function configFile(endpoints: object[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wsmon-run-')), 'endpoints.json');
  writeFileSync(path, JSON.stringify({ version: 1, endpoints }, null, 2));
  return path;
}

describe('wsmon run', () => {
  it('monitors a config file and reloads it on SIGHUP: unchanged endpoints keep their connection', async () => {
    const path = configFile([
      { ...FAST, name: 'keep', url: lab.url('/keep') },
      { ...FAST, name: 'change', url: lab.url('/change') },
      { ...FAST, name: 'drop', url: lab.url('/drop') },
    ]);
    const run = startCli(['run', '--config', path, '--json']);
    for (const name of ['keep', 'change', 'drop']) await waitForLine(run.stdout, (l) => l.includes(`"endpoint":"${name}","type":"rtt"`), `rtt of ${name}`);

    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        endpoints: [
          { ...FAST, name: 'keep', url: lab.url('/keep') },
          { ...FAST, name: 'change', url: lab.url('/change'), heartbeat: { intervalMs: 300, timeoutMs: 150 } },
          { ...FAST, name: 'new', url: lab.url('/new') },
        ],
      }),
    );
    const reloadFrom = run.stdout().length;
    run.child.kill('SIGHUP');
    await waitForLine(run.stdout, (l) => l.includes('"endpoint":"new","type":"rtt"'), 'rtt of the new endpoint');
    await waitForLine(run.stdout, (l) => l.includes('"endpoint":"change","type":"open"') && run.stdout().indexOf(l) > reloadFrom, 'change to reopen');
    run.child.kill('SIGTERM');
    const r = await run.result;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wsmon run: reloaded .*endpoints\.json: 1 added, 1 changed, 1 removed, 1 unchanged/);

    const after = events(r.stdout.slice(reloadFrom));
    const typesOf = (id: string) => after.filter((e) => e.endpoint === id && e.type !== 'rtt').map((e) => e.type);
    expect(typesOf('keep')).toEqual(['close']); // only the final shutdown: no reconnect on reload
    expect(typesOf('change').slice(0, 4)).toEqual(['endpoint-updated', 'close', 'connecting', 'open']);
    expect(typesOf('drop')).toEqual(['close', 'endpoint-removed']);
    expect(typesOf('new').slice(0, 3)).toEqual(['endpoint-added', 'connecting', 'open']);
    expect(after.at(-1)!.type).toBe('session-end');
  });

  it('a reload with a broken file keeps the running endpoints and says why', async () => {
    const path = configFile([{ ...FAST, name: 'steady', url: lab.url('/steady') }]);
    const run = startCli(['run', '--config', path, '--json']);
    await waitForLine(run.stdout, (l) => l.includes('"type":"rtt"'), 'an rtt');
    writeFileSync(path, '{"version": 1, "endpoints": [{"url": "http://nope/"}]}');
    run.child.kill('SIGHUP');
    await waitForLine(run.stderr, (l) => l.includes('reload failed'), 'the reload to fail');
    run.child.kill('SIGINT');
    const r = await run.result;
    expect(r.stderr).toMatch(/wsmon run: reload failed, keeping the running endpoints: .*url: URL must start with ws:\/\/ or wss:\/\//);
    expect(events(r.stdout).filter((e) => e.type === 'endpoint-removed')).toEqual([]);
  });

  it('refuses a missing or invalid config with exit 2 and one sentence', async () => {
    expect(await runCli(['run'])).toMatchObject({ code: 2, stderr: 'wsmon run: run needs --config FILE (an endpoint list; see wsmon run --help)\n' });
    const r = await runCli(['run', '--config', '/no/such/file.json']);
    expect(r).toMatchObject({ code: 2, stderr: 'wsmon run: --config: cannot read the config file "/no/such/file.json" (ENOENT)\n' });
    const bad = configFile([{ url: 'ws://h/', heartbeat: { misses: 0 } }]);
    expect((await runCli(['run', '--config', bad])).stderr).toBe(
      `wsmon run: --config: ${bad}: endpoints.0.heartbeat.misses: misses before dead must be at least 1\n`,
    );
    const notJson = configFile([]);
    writeFileSync(notJson, '{ oops');
    expect((await runCli(['run', '--config', notJson])).stderr).toMatch(/^wsmon run: --config: .*: not JSON at line 1, column 3\n$/);
    expect((await runCli(['run', '--config', notJson, '--web', '0.0.0.0:0'])).code).toBe(2);
  });
});

describe('wsmon run and SIGHUP during start-up', () => {
  it('a SIGHUP that arrives while wsmon is still loading is held and becomes a reload, not an exit', async () => {
    const path = configFile([{ ...FAST, name: 'one', url: lab.url('/one') }]);
    const run = startCli(['run', '--config', path, '--json']);
    // As soon as the process catches SIGHUP (bin/wsmon.js, before the CLI has loaded), send one: Node's default would exit 129.
    const caught = () => {
      try {
        return (parseInt(/SigCgt:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${run.child.pid}/status`, 'utf8'))![1]!, 16) & 1) === 1;
      } catch {
        return false;
      }
    };
    await waitFor(caught, (v) => v, 'the SIGHUP handler', { timeoutMs: 10_000, everyMs: 1 });
    run.child.kill('SIGHUP');
    await waitForLine(run.stderr, (l) => /^wsmon run: (SIGHUP during start-up: reloading now|reloaded )/.test(l), 'the reload');
    await waitForLine(run.stdout, (l) => l.includes('"type":"rtt"'), 'monitoring');
    run.child.kill('SIGTERM');
    const r = await run.result;
    expect([r.code, r.signal]).toEqual([0, null]);
    expect(events(r.stdout).at(-1)!.type).toBe('session-end');
  });
});

describe('Prometheus metrics', () => {
  it('serves /metrics with per-endpoint series that match the events', async () => {
    const run = startCli([
      'watch',
      `good=${lab.url('/m', { pongDelay: 5 })}`,
      `refused=${lab.url('/r', { refuse: 503 })}`,
      '--json',
      '--metrics',
      '127.0.0.1:0',
      '--ping-interval',
      '100ms',
      '--backoff-initial',
      '100ms',
      '--backoff-max',
      '200ms',
      '--jitter',
      'none',
    ]);
    await waitForLine(run.stdout, (l) => l.includes('"endpoint":"good","type":"rtt"'), 'an rtt');
    await waitForLine(run.stdout, (l) => l.includes('"endpoint":"refused","type":"reconnect-scheduled","attempt":3'), 'three retries');
    const url = /wsmon metrics: (http:\S+)/.exec(await waitForLine(run.stderr, (l) => l.startsWith('wsmon metrics: '), 'the metrics address'))![1]!;
    const before = events(run.stdout());
    // Bound to loopback, metrics refuse a foreign Host (a DNS-rebinding page), as the bridge does.
    const u = new URL(url);
    const rebound = await new Promise<number>((resolve, reject) =>
      request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'evil.example' } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)))
        .on('error', reject)
        .end(),
    );
    expect(rebound).toBe(421);
    const text = await (await fetch(url)).text();
    const after = events(run.stdout());
    run.child.kill('SIGINT');
    await run.result;

    // parse-prometheus-text-format folds a labelled histogram's series into one; parsed without its
    // HELP/TYPE header, each of its _bucket/_sum/_count series comes out whole, with labels.
    expect(text).toMatch(/^# TYPE wsmon_rtt_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE wsmon_connect_phase_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE wsmon_network_rtt_seconds histogram$/m);
    // A histogram with two labels comes out as one family per label set: gather them by name.
    type Family = { type: string; metrics: { labels?: Record<string, string> }[] };
    const families = new Map<string, Family>();
    for (const f of parsePrometheusTextFormat(text.replace(/^# (HELP|TYPE) wsmon_(rtt|connect_phase|network_rtt)_seconds .*\n/gm, '')) as Family[] &
      { name: string }[]) {
      const seen = families.get(f.name);
      if (seen) seen.metrics.push(...f.metrics);
      else families.set(f.name, { type: f.type, metrics: [...f.metrics] });
    }
    const value = (name: string, labels: Record<string, string>) => {
      const m = families.get(name)?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
      return m ? Number((m as { value: string }).value) : undefined;
    };
    const count = (evs: WsmonEvent[], id: string, type: string) => evs.filter((e) => e.endpoint === id && e.type === type).length;

    expect(families.get('wsmon_up')?.type).toBe('GAUGE');
    expect(value('wsmon_up', { endpoint: 'good' })).toBe(1);
    expect(value('wsmon_up', { endpoint: 'refused' })).toBe(0);
    const rttCount = value('wsmon_rtt_seconds_count', { endpoint: 'good' })!;
    expect(rttCount).toBeGreaterThanOrEqual(count(before, 'good', 'rtt'));
    expect(rttCount).toBeLessThanOrEqual(count(after, 'good', 'rtt'));
    expect(value('wsmon_rtt_seconds_sum', { endpoint: 'good' })! / rttCount).toBeGreaterThanOrEqual(0.005);
    expect(value('wsmon_rtt_seconds_bucket', { endpoint: 'good', le: '0.001' })).toBe(0); // nothing under the injected 5 ms
    expect(value('wsmon_rtt_seconds_bucket', { endpoint: 'good', le: '+Inf' })).toBe(rttCount);
    // The network's RTT of the same socket, for each answer: never more than the answer's own (a server that answers
    // within its delayed-ACK time sends the ACK with the answer, so it climbs towards it).
    const networkCount = value('wsmon_network_rtt_seconds_count', { endpoint: 'good', to: 'server' })!;
    expect(networkCount).toBeGreaterThanOrEqual(count(before, 'good', 'rtt'));
    expect(networkCount).toBeLessThanOrEqual(count(after, 'good', 'rtt'));
    expect(value('wsmon_network_rtt_seconds_sum', { endpoint: 'good', to: 'server' })! / networkCount).toBeLessThanOrEqual(
      value('wsmon_rtt_seconds_sum', { endpoint: 'good' })! / rttCount,
    );
    // Not slow, so no side is named.
    for (const side of ['path', 'server', 'both', 'together', 'unclear']) expect(value('wsmon_slow_side', { endpoint: 'good', side })).toBe(0);
    const attempts = value('wsmon_reconnect_attempts_total', { endpoint: 'refused' })!;
    expect(attempts).toBeGreaterThanOrEqual(count(before, 'refused', 'reconnect-scheduled'));
    expect(attempts).toBeLessThanOrEqual(count(after, 'refused', 'reconnect-scheduled'));
    expect(value('wsmon_disconnects_total', { endpoint: 'refused', cause: 'handshake' })).toBe(1); // one outage
    expect(value('wsmon_heartbeat_missed_total', { endpoint: 'good' })).toBe(0);
    expect(value('wsmon_connected_seconds_total', { endpoint: 'good' })).toBeGreaterThan(0);
    // One connect of "good" (an IP literal over ws://): its TCP and upgrade phases, none it did not have.
    expect(value('wsmon_connect_phase_seconds_count', { endpoint: 'good', phase: 'tcp' })).toBe(1);
    expect(value('wsmon_connect_phase_seconds_count', { endpoint: 'good', phase: 'upgrade' })).toBe(1);
    expect(value('wsmon_connect_phase_seconds_count', { endpoint: 'good', phase: 'dns' })).toBeUndefined();
    expect(value('wsmon_connect_phase_seconds_count', { endpoint: 'refused', phase: 'tcp' })).toBeUndefined();
    expect(families.has('process_cpu_user_seconds_total')).toBe(true);
  });
});

describe('terminal view', () => {
  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!hasScript) console.log('skipping the pseudo-terminal test: util-linux `script` is not installed');

  it.skipIf(!hasScript)('renders a live table in a pseudo-terminal', async () => {
    const path = configFile([
      { ...FAST, name: 'fine', url: lab.url('/t', { pongDelay: 30 }) },
      { ...FAST, name: 'broken', url: lab.url('/t', { refuse: 503 }) },
    ]);
    // Asynchronous: the lab answering the endpoints runs in this process.
    const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} run --config ${path} --duration 1500ms`, '/dev/null'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    expect(await new Promise((r) => child.on('close', r))).toBe(0);
    expect(out).toContain('\x1b[H\x1b[2J'); // redrawn in place
    const last = out.slice(out.lastIndexOf('\x1b[H\x1b[2J')).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(last).toMatch(/ENDPOINT\s+HEALTH\s+RTT\s+P95\s+LOSS\s+UPTIME\s+DISC\s+ATTEMPTS/);
    // Problems first: the refused endpoint's row comes before the healthy one.
    expect(last).toMatch(/broken\s+retrying · HTTP 503 · retry in \d\.\ds #\d+[^\n]*\nfine\s+up · 3\d\.\d ms\s+3\d\.\d ms/);
    expect(last).toMatch(/1 up · 1 retrying · Ctrl-C to stop/);
  });

  it.skipIf(!hasScript)('at 80 columns every line of the table fits; watch on a terminal shows the same table', async () => {
    const child = spawn(
      'script',
      ['-qfec', `stty cols 80; ${process.execPath} ${BIN} watch "${lab.url('/t', { refuse: 503 })}" "${lab.url('/t')}" --duration 1200ms`, '/dev/null'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    expect(await new Promise((r) => child.on('close', r))).toBe(0);
    const last = out.slice(out.lastIndexOf('\x1b[H\x1b[2J')).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    const lines = last.split(/\r?\n/).filter(Boolean);
    expect(lines[0]).toMatch(/^ENDPOINT\s+HEALTH\s+RTT/);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(last).toMatch(/retrying · HTTP 503 · retry in \d\.\ds #\d+/);
  });

  it.skipIf(!hasScript)('demo --web with no value serves on a free loopback port, and its address stays above the live table', async () => {
    const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} demo --web --duration 1500ms`, '/dev/null'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    expect(await new Promise((r) => child.on('close', r))).toBe(0);
    const last = out.slice(out.lastIndexOf('\x1b[H\x1b[2J')).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(last).toMatch(/^wsmon web: http:\/\/127\.0\.0\.1:\d+\/#token=\S+\r?\nENDPOINT\s+HEALTH/);
  });
});

describe('wsmon demo', () => {
  it('brings up every scenario, each in its expected state within a few seconds', async () => {
    const r = await runCli(['demo', '--json', '--duration', '3500ms']);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    const of = (id: string) => evs.filter((e) => e.endpoint === id);
    const rtts = (id: string) => of(id).flatMap((e) => (e.type === 'rtt' ? [e.rttMs] : []));
    for (const id of ['demo-healthy', 'demo-slow', 'demo-jittery', 'demo-flaky']) {
      expect(
        of(id).some((e) => e.type === 'open'),
        `${id} opens`,
      ).toBe(true);
      expect(rtts(id).length, `${id} measures RTT`).toBeGreaterThanOrEqual(2);
    }
    expect(Math.min(...rtts('demo-slow'))).toBeGreaterThanOrEqual(80);
    expect(Math.max(...rtts('demo-jittery'))).toBeGreaterThanOrEqual(20);
    expect(of('demo-refused').find((e) => e.type === 'error')).toMatchObject({ code: 'HTTP_503' });
    expect(of('demo-closed-port').find((e) => e.type === 'error')).toMatchObject({ code: 'ECONNREFUSED' });
    expect(of('demo-closed-port').some((e) => e.type === 'open')).toBe(false);
  });
});
