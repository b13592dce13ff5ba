// A secret in a URL under a common name never leaves wsmon: not in events, the
// session log, endpoint ids or names, Prometheus labels or exports.
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitForLine } from '../helpers/cli';
import { startLab, type Lab } from '../lab';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

const get = (url: string) =>
  new Promise<string>((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });

describe('secrets under common names', () => {
  it('wsmon watch with ?auth_token=… and --secret-name: masked in events, log, ids, names, metrics and CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-secret-'));
    const log = join(dir, 'x.jsonl');
    const url = `${lab.url('/feed')}?auth_token=S3CRET-A&authToken=S3CRET-B&x-api-key=S3CRET-C&magic=S3CRET-D&room=1`;
    const watch = startCli([
      'watch',
      url,
      '--log',
      log,
      '--metrics',
      '127.0.0.1:0',
      '--json',
      '--secret-name',
      'magic',
      '--ping-interval',
      '100ms',
      '--duration',
      '3s',
    ]);
    const metricsLine = await waitForLine(watch.stderr, (l) => l.startsWith('wsmon metrics: '), 'the metrics address');
    await waitForLine(watch.stdout, (l) => l.includes('"type":"rtt"'), 'an RTT sample');
    const metrics = await get(metricsLine.slice('wsmon metrics: '.length).trim());
    const r = await watch.result;
    expect(r.code).toBe(0);
    const csv = await runCli(['export', log, '--format', 'csv']);
    for (const [what, text] of [
      ['events', r.stdout],
      ['the log', readFileSync(log, 'utf8')],
      ['metrics', metrics],
      ['the CSV export', csv.stdout],
    ] as const) {
      expect(text, what).not.toMatch(/S3CRET/);
    }
    expect(metrics).toMatch(
      /wsmon_up\{endpoint="127\.0\.0\.1:\d+\/feed\?auth_token=\*\*\*&authToken=\*\*\*&x-api-key=\*\*\*&magic=\*\*\*&room=1",probe="[^"]+"\} 1/,
    );
    expect(r.stdout).toContain('room=1');
  }, 20_000);
});
