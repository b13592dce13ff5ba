import { appendFileSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSessionLog, SessionLogWriter, type ReadResult } from '../../src/core/session-log';
import { stamp, type WsmonEvent } from '../../src/shared/events';

const event = (n: number): WsmonEvent => stamp({ type: 'rtt', seq: n, rttMs: n / 10, via: 'ping' }, Date.UTC(2026, 0, 1), n, 'a');

async function readAll(path: string): Promise<{ events: WsmonEvent[]; skipped: number }> {
  const result: ReadResult = { skipped: 0 };
  const events: WsmonEvent[] = [];
  for await (const e of readSessionLog(path, result)) events.push(e);
  return { events, skipped: result.skipped };
}

describe('session log', () => {
  it('appends events as JSON lines, private to the user, and reads them back', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wsmon-log-')), 'session.jsonl');
    const w = new SessionLogWriter(path);
    for (let i = 0; i < 100; i++) w.write(event(i));
    w.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { events, skipped } = await readAll(path);
    expect(skipped).toBe(0);
    expect(events.map((e) => e.mono)).toEqual([...Array(100).keys()]);
  });

  it('after a crash, reads up to the last complete line, says how many it skipped, and appends cleanly', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wsmon-log-')), 'session.jsonl');
    const w = new SessionLogWriter(path);
    w.write(event(1));
    w.write(event(2));
    w.close();
    appendFileSync(path, '{"v":1,"ts":"2026-01-01T00:00:00.000Z","mo'); // a torn line, as a crash mid-write leaves it
    expect(await readAll(path)).toMatchObject({ skipped: 1 });
    const again = new SessionLogWriter(path);
    again.write(event(3));
    again.close();
    const { events, skipped } = await readAll(path);
    expect(events.map((e) => e.mono)).toEqual([1, 2, 3]);
    expect(skipped).toBe(1);
  });

  it('rotates by size and keeps a bounded number of old files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-log-'));
    const path = join(dir, 'session.jsonl');
    const w = new SessionLogWriter(path, { rotateBytes: 2000, keep: 2 });
    for (let i = 0; i < 200; i++) {
      w.write(event(i));
      w.flush();
    }
    w.close();
    expect(readdirSync(dir).sort()).toEqual(['session.jsonl', 'session.jsonl.1', 'session.jsonl.2']);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).size).toBeLessThan(2200);
    const newest = await readAll(path);
    expect(newest.events.at(-1)!.mono).toBe(199);
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
  });
});
