// Many probes under one Prometheus, for real: two `wsmon run` probes (the built
// CLI) scraped by Prometheus from Debian on 127.0.0.1, with the shipped alert
// rules and dashboard. The rules pass `promtool check rules` and their unit
// test (`promtool test rules`: an outage from a quorum of probes pages, fewer
// warn per probe); the "down" alert fires for a refused endpoint that one probe
// alone watches; and every dashboard query returns series.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait';
import { startCli, waitForLine } from '../helpers/cli';
import { closedPort } from '../helpers/harness';
import { startLab, type Lab } from '../lab';

const PROMETHEUS = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_PATH ?? '/usr/bin/promtool';
const RULES = resolve('deploy/prometheus/wsmon-alerts.yml');
const RULES_TEST = resolve('deploy/prometheus/wsmon-alerts.test.yml');
const DASHBOARD = resolve('deploy/grafana/wsmon-dashboard.json');
const missing = [PROMETHEUS, PROMTOOL].filter((p) => !existsSync(p));
const WHY = `Prometheus is not installed (${missing.join(', ')}); .ci/run installs Debian's prometheus package`;
if (missing.length) console.log(`prometheus.test.ts: skipped, ${WHY}`);

const FAST = { heartbeat: { intervalMs: 200, timeoutMs: 150 }, backoff: { initialMs: 200, maxMs: 400, jitter: 'none' } };

describe.skipIf(missing.length > 0)('many probes under one Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsmon-prom-'));
  let lab: Lab;
  const probes: ReturnType<typeof startCli>[] = [];
  let prometheus: ChildProcess;
  let api: string;

  const query = async (q: string): Promise<{ metric: Record<string, string> }[]> => {
    const r = (await (await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
      status: string;
      data: { result: { metric: Record<string, string> }[] };
      error?: string;
    };
    if (r.status !== 'success') throw new Error(`${q}: ${r.error}`);
    return r.data.result;
  };
  const until = <T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> =>
    waitFor(read, ok, what, { timeoutMs, everyMs: 250 });

  beforeAll(async () => {
    lab = await startLab();
    const refused = `ws://127.0.0.1:${await closedPort()}/`;
    const probe = async (name: string, endpoints: object[]) => {
      const config = join(dir, `${name}.json`);
      writeFileSync(config, JSON.stringify({ version: 1, probe: name, endpoints }));
      const p = startCli(['run', '--config', config, '--metrics', '127.0.0.1:0', '--json']);
      probes.push(p);
      return new URL(/wsmon metrics: (\S+)/.exec(await waitForLine(p.stderr, (l) => l.startsWith('wsmon metrics: '), `probe ${name}'s metrics`))![1]!).host;
    };
    const east = await probe('east', [
      { ...FAST, name: 'api', url: lab.url('/api') },
      { ...FAST, name: 'refused', url: refused },
    ]);
    const west = await probe('west', [{ ...FAST, name: 'api', url: lab.url('/api') }]);
    // The shipped rules, with the "down" threshold shortened from 300 s to 2 s so that the test takes seconds.
    const rules = readFileSync(RULES, 'utf8');
    expect(rules).toContain('wsmon_down_seconds > bool 300');
    writeFileSync(
      join(dir, 'rules.yml'),
      rules.replaceAll('wsmon_down_seconds > bool 300', 'wsmon_down_seconds > bool 2').replaceAll('wsmon_down_seconds > 300', 'wsmon_down_seconds > 2'),
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nrule_files: [rules.yml]\nscrape_configs:\n  - job_name: wsmon\n    static_configs: [{ targets: ['${east}', '${west}'] }]\n`,
    );
    const port = await closedPort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    );
    await until(
      () => fetch(`${api}/-/ready`).then((r) => r.ok),
      (ok) => ok,
      'Prometheus to be ready',
    );
  }, 90_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    for (const p of probes) p.child.kill('SIGTERM');
    await Promise.all(probes.map((p) => p.result));
    if (prometheus) await new Promise((r) => (prometheus.exitCode !== null ? r(null) : prometheus.once('exit', r)));
    await lab?.stop();
  }, 30_000);

  it('the shipped rules pass promtool', () => {
    expect(execFileSync(PROMTOOL, ['check', 'rules', RULES], { encoding: 'utf8' })).toMatch(/SUCCESS: 9 rules found/);
  });

  it('the rules tell an outage from a path problem across probes (promtool test rules: series in, alerts out)', () => {
    // A quorum down pages once per endpoint; fewer warn per probe, naming it; one probe watching alone pages.
    const run = () => execFileSync(PROMTOOL, ['test', 'rules', RULES_TEST], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(run()).toMatch(/SUCCESS/);
  });

  it('scrapes both probes, each series labelled with its probe', async () => {
    const up = await until(
      () => query('wsmon_up'),
      (r) => r.length === 3,
      'three wsmon_up series',
    );
    expect(up.map((s) => `${s.metric.probe}/${s.metric.endpoint}`).sort()).toEqual(['east/api', 'east/refused', 'west/api']);
  }, 60_000);

  it('the "down" alert pages for the refused endpoint, which one probe alone watches, and no path warning beside it', async () => {
    type Alert = { labels: Record<string, string>; state: string; annotations: { summary: string } };
    const alerts = await until(
      async () => ((await (await fetch(`${api}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } }).data.alerts,
      (a) => a.some((x) => x.labels.alertname === 'WsmonEndpointDown' && x.state === 'firing'),
      'WsmonEndpointDown to fire',
    );
    // Only east watches it: one probe is the whole view, so it pages, counting that one probe.
    const down = alerts.filter((a) => a.labels.alertname === 'WsmonEndpointDown');
    expect(down.map((a) => [a.labels.endpoint, a.labels.severity])).toEqual([['refused', 'page']]);
    expect(down[0]!.annotations.summary).toBe('refused down for over 5 minutes from 1 of the probes watching it: an outage, not one path');
    expect(alerts.filter((a) => a.labels.alertname === 'WsmonPathDown')).toEqual([]);
  }, 60_000);

  it('every dashboard query returns series', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({ panel: p.title, expr: t.expr.replaceAll('$probe', '.*').replaceAll('$endpoint', '.*').replaceAll('$__rate_interval', '1m') })),
    );
    expect(exprs.length).toBeGreaterThanOrEqual(6);
    for (const { panel, expr } of exprs) {
      const result = await until(
        () => query(expr),
        (r) => r.length > 0,
        `series for "${panel}": ${expr}`,
        30_000,
      );
      expect(result.length, panel).toBeGreaterThan(0);
    }
  }, 120_000);
});
