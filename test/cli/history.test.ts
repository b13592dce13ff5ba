// `wsmon history --data DIR` against a data folder a real `wsmon web --data`
// run left: the snapshot it wrote when it quit, read back without a session.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitForLine } from '../helpers/cli';
import { sessionFlags, startHeadless } from '../../src/cli/headless';
import { historyLimits } from '../../src/core/record/history';
import { startLab, type Lab } from '../lab';

describe('wsmon history', () => {
  let lab: Lab;
  let dir: string;
  beforeAll(async () => {
    lab = await startLab();
    dir = mkdtempSync(join(tmpdir(), 'wsmon-history-cli-'));
    writeFileSync(
      join(dir, 'endpoints.json'),
      JSON.stringify({ version: 1, endpoints: [{ name: 'feed', url: lab.url('/feed'), heartbeat: { intervalMs: 100, timeoutMs: 80 } }] }),
    );
    // A real run of the app's engine on the folder: a few heartbeats, then Ctrl-C (the snapshot is written at quit).
    const web = startCli(['web', '--data', dir, '--port', '0']);
    await waitForLine(web.stdout, (l) => l.startsWith('wsmon web: '), 'the web server');
    await new Promise((r) => setTimeout(r, 1500)); // the run being recorded: its length is the scenario, not a wait for an event
    web.child.kill('SIGINT');
    await web.result;
  }, 30_000);
  afterAll(() => lab.stop());

  it('prints each endpoint’s uptime over 24 h, 7 d, 30 d and 90 d, said to be judged since the records begin', async () => {
    expect(existsSync(join(dir, 'history.snapshot'))).toBe(true);
    const r = await runCli(['history', '--data', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('1 endpoint(s), from the history snapshot and the logs after it');
    expect(lines[1]).toMatch(/^endpoint +records from +uptime 24 h +uptime 7 d +uptime 30 d +uptime 90 d +median RTT 24 h +loss 24 h$/);
    expect(lines[2]).toMatch(/^feed +\d{4}-\d\d-\d\dT[\d:.]+Z +(\d+\.\d+ %\* +){4}\d+(\.\d+)? ms +0(\.0+)? %$/);
    expect(lines[3]).toBe('* judged since the records begin (later than the span’s start)');
  });

  it('--json: one object per endpoint', async () => {
    const r = await runCli(['history', '--data', dir, '--json', 'feed']);
    expect(r.code).toBe(0);
    const row = JSON.parse(r.stdout) as {
      endpoint: string;
      uptime: Record<string, { value: number; since: string }>;
      day: { answered: number; missed: number };
    };
    expect(row.endpoint).toBe('feed');
    expect(Object.keys(row.uptime)).toEqual(['day', 'week', 'month', 'quarter']);
    expect(row.uptime.quarter!.value).toBeGreaterThan(0.5);
    expect(row.day.answered).toBeGreaterThanOrEqual(5);
  });

  it('an endpoint first seen after the snapshot (a run killed before it wrote one) is listed from the logs after it', async () => {
    writeFileSync(
      join(dir, 'endpoints.json'),
      JSON.stringify({
        version: 1,
        endpoints: [
          { name: 'feed', url: lab.url('/feed'), heartbeat: { intervalMs: 100, timeoutMs: 80 } },
          { name: 'extra', url: lab.url('/extra'), heartbeat: { intervalMs: 100, timeoutMs: 80 } },
        ],
      }),
    );
    const web = startCli(['web', '--data', dir, '--port', '0']);
    await waitForLine(web.stdout, (l) => l.startsWith('wsmon web: '), 'the web server');
    await new Promise((r) => setTimeout(r, 1500)); // the killed run's length is the scenario
    web.child.kill('SIGKILL');
    await web.result;
    const r = await runCli(['history', '--data', dir, '--json']);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { endpoint: string; day: { answered: number } });
    expect(rows.map((row) => row.endpoint)).toEqual(['extra', 'feed']);
    expect(rows[0]!.day.answered).toBeGreaterThanOrEqual(3);
  });

  it('a damaged snapshot is said in one sentence and the logs are replayed; an unknown endpoint or no --data is a usage error', async () => {
    const path = join(dir, 'history.snapshot');
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(path, bytes);
    const r = await runCli(['history', '--data', dir]);
    expect(r.stderr).toBe(
      'wsmon history: The history snapshot could not be used (its checksum does not match (damaged)); the session logs were replayed instead.\n',
    );
    expect(r.stdout.split('\n')[0]).toBe('2 endpoint(s), from the session logs');
    expect(r.stdout).toMatch(/\nfeed +/);
    const unknown = await runCli(['history', '--data', dir, 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n').at(-2)).toBe(`wsmon history: no history of "nope" in ${dir}`);
    expect(await runCli(['history'])).toMatchObject({ code: 2, stderr: 'wsmon history: history needs --data DIR: the data folder to read\n' });
  });

  it('--history-days: the session keeps that many days; a data folder keeps its own and refuses the flag in one sentence', async () => {
    // From the flags as the commands read them to the session's rings (in this process: without a data folder no answer says it).
    const run = await startHeadless({ ...sessionFlags({ 'history-days': '30' }, 'none'), endpoints: [] });
    expect(run.session.settings.historyDays).toBe(30);
    expect(run.session.records.historyLimits).toEqual(historyLimits(30));
    await run.end();
    const refused = await runCli(['web', '--data', dir, '--history-days', '7']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^wsmon web: --data keeps its own endpoints, settings and session logs; it cannot be combined with URLs, --config, --log or --history-days\n$/,
    );
  });
});
