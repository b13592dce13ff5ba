// Exports against golden files, filters, and what must never appear in them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exportLog, type ExportOptions } from '../../src/core/log/export';
import { stamp, type WsmonEvent } from '../../src/shared/events';

const FIXTURE = 'test/fixtures/session.jsonl';

async function exported(path: string, opts: ExportOptions): Promise<{ text: string; events: number; skipped: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const r = await exportLog(path, out, opts);
  out.end();
  return { text: Buffer.concat(chunks).toString('utf8'), events: r.events, skipped: r.read.skipped };
}

describe('session log export', () => {
  it('JSON matches the golden file and skips the torn last line', async () => {
    const r = await exported(FIXTURE, { format: 'json' });
    expect(r.text).toBe(readFileSync('test/fixtures/session.json', 'utf8'));
    expect(JSON.parse(r.text)).toHaveLength(24);
    expect([r.events, r.skipped]).toEqual([24, 1]);
  });

  it('CSV matches the golden file: quoted fields, formula cells defused', async () => {
    const r = await exported(FIXTURE, { format: 'csv' });
    expect(r.text).toBe(readFileSync('test/fixtures/session.csv', 'utf8'));
    expect(r.text.split('\r\n')[0]).toBe(
      'time,endpoint,url,type,rttMs,code,reason,attempt,delayMs,message,handshakeMs,dnsMs,tcpMs,proxyMs,tlsMs,upgradeMs,appMs,networkRttMs,networkRttVarMs',
    );
    expect(r.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(r.text).toContain('"api, ""eu"""');
    // The network RTT where the kernel gave one, empty cells where it could not.
    expect(r.text).toMatch(/,rtt,12,,*0\.412,0\.2\r\n/);
    expect(r.text).toMatch(/,rtt,13,,*\r\n/);
  });

  it('filters by endpoint name and time', async () => {
    const r = await exported(FIXTURE, { format: 'json', endpoint: 'feed', from: Date.parse('2026-11-22T14:00:01Z') });
    const events = JSON.parse(r.text) as { type: string; endpoint: string }[];
    expect(events.map((e) => e.type)).toEqual(['connecting', 'open', 'paused', 'close']);
    expect(events.every((e) => e.endpoint === 'feed')).toBe(true);
    const byName = JSON.parse((await exported(FIXTURE, { format: 'json', endpoint: 'api, "eu"', to: Date.parse('2026-11-22T14:00:00.020Z') })).text);
    expect(byName.map((e: { type: string }) => e.type)).toEqual(['endpoint-added', 'connecting', 'open']);
  });

  it('the HTML report is self-contained: no script, no external reference, every endpoint summarised', async () => {
    const { text } = await exported(FIXTURE, { format: 'html' });
    expect(text).not.toMatch(/<script|https?:\/\/(?!evil)|src=|href=/i);
    // The health at the end, by the window's model: api lost 14 % of its beats, feed was paused.
    expect(text).toContain('<tr data-endpoint="api"><td>api, &#34;eu&#34;</td><td>degraded · loss 14.3 %</td>');
    expect(text).toContain('<tr data-endpoint="feed"><td>feed</td><td>paused</td>');
    expect(text.match(/<svg /g)).toHaveLength(8);
    // The network's RTT beside the RTT (api's answers carried one), and each connect's phases.
    expect(text).toMatch(/<polyline data-series="network-rtt"[^>]* stroke-dasharray="5 3" points="[\d.]+,[\d.]+" \/>/);
    expect(text).toContain('<td>tcp 0.5 · upgrade 8.8 ms, slowest upgrade</td>');
    // Uptime over 24 h to 90 d back from the log's end: this log is shorter than a day, so each is judged since it began.
    expect(text).toMatch(/<tr data-endpoint="feed">(?:<td>[^<]*<\/td>){6}<td>24 h \d+\.\d %\* · 7 d \d+\.\d %\* · 30 d \d+\.\d %\* · 90 d \d+\.\d %\*<\/td>/);
    expect(text.match(/<rect data-series="phases"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('the HTML report: charts have a time axis in UTC over the session; one endpoint alone has the same uptime as in the whole report', async () => {
    const { text } = await exported(FIXTURE, { format: 'html' });
    // Each of the 8 charts: start, middle and end of the session (14:00:00 to 14:01:03 UTC).
    expect([...text.matchAll(/<text data-axis="time"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]).slice(0, 3)).toEqual(['14:00:00', '14:00:31', '14:01:03']);
    expect(text.match(/data-axis="time"/g)).toHaveLength(24);
    const uptime = (html: string) => /<tr data-endpoint="api">(?:<td>[^<]*<\/td>){5}<td>([^<]*)<\/td>/.exec(html)![1];
    const alone = (await exported(FIXTURE, { format: 'html', endpoint: 'api' })).text;
    expect(uptime(alone)).toBe(uptime(text));
  });

  it('the HTML report of a session that ended with an endpoint open says so, not "closing"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-export-'));
    const log = join(dir, 'ended.jsonl');
    const t0 = Date.UTC(2026, 10, 22, 14);
    const lines: WsmonEvent[] = [
      stamp({ type: 'session-start', app: 'wsmon', version: '0' }, t0, 0),
      stamp({ type: 'endpoint-added', name: 'api', url: 'ws://h/' }, t0 + 1, 1, 'api'),
      stamp({ type: 'open', attempt: 0, handshakeMs: 1, protocol: '' }, t0 + 5, 5, 'api'),
      stamp({ type: 'close', code: 1000, reason: 'wsmon: closing', wasClean: true, initiator: 'client', uptimeMs: 995 }, t0 + 1000, 1000, 'api'),
      stamp({ type: 'session-end', app: 'wsmon', version: '0' }, t0 + 1001, 1001),
    ];
    writeFileSync(log, lines.map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect((await exported(log, { format: 'html' })).text).toContain('<tr data-endpoint="api"><td>api</td><td>up until the session ended</td>');
  });

  it('no secret reaches any export format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-export-'));
    const log = join(dir, 'log.jsonl');
    // What the engine writes: URLs already redacted. The exports must not undo that.
    writeFileSync(log, readFileSync(FIXTURE, 'utf8').replace(/\{"v":1,"ts":"2026-11-22T14:01:03.5$/, ''));
    for (const format of ['json', 'csv', 'html'] as const) {
      const { text } = await exported(log, { format });
      expect(text).toContain('token=***');
      expect(text).not.toMatch(/token=(?!\*\*\*)/);
    }
  });

  it('streams: a large log exports in bounded memory and reports progress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-export-'));
    const log = join(dir, 'big.jsonl');
    const t0 = Date.UTC(2026, 0, 1);
    const lines: string[] = [
      JSON.stringify({ v: 1, ts: new Date(t0).toISOString(), mono: 0, endpoint: 'a', type: 'endpoint-added', name: 'a', url: 'ws://a/' }),
    ];
    for (let i = 1; i <= 200_000; i++)
      lines.push(
        JSON.stringify({
          v: 1,
          ts: new Date(t0 + i * 1000).toISOString(),
          mono: i * 1000,
          endpoint: 'a',
          type: 'rtt',
          seq: i,
          rttMs: 5 + (i % 10),
          via: 'ping',
        }),
      );
    writeFileSync(log, `${lines.join('\n')}\n`);
    const progress: number[] = [];
    const out = new PassThrough();
    let bytes = 0;
    out.on('data', (c: Buffer) => (bytes += c.length));
    const r = await exportLog(log, out, { format: 'html', progress: (f) => progress.push(f) });
    expect(r.events).toBe(200_001);
    expect(bytes).toBeLessThan(200_000); // the report summarises; it does not grow with the log
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(10);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
  }, 60_000);
});
