import { appendFileSync, chmodSync, mkdtempSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRead, emptyReadResult, readSessionLog, SessionLogWriter } from '../../src/core/log/session-log';
import { stamp, type WsmonEvent } from '../../src/shared/events';

const event = (n: number): WsmonEvent => stamp({ type: 'rtt', seq: n, rttMs: n / 10, via: 'ping' }, Date.UTC(2026, 0, 1), n, 'a');

async function readAll(path: string): Promise<{ events: WsmonEvent[]; skipped: number }> {
  const result = emptyReadResult();
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

describe('a rotated session log', () => {
  const write = (path: string, from: number, to: number, opts = {}) => {
    const w = new SessionLogWriter(path, opts);
    for (let i = from; i < to; i++) {
      w.write(i === 0 ? stamp({ type: 'session-start', app: 'wsmon', version: '0' }, Date.UTC(2026, 0, 1), 0) : event(i));
      w.flush();
    }
    w.close();
  };

  it('is read whole: every generation, oldest first, with what was read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-log-'));
    const path = join(dir, 'session.jsonl');
    write(path, 0, 300, { rotateBytes: 2000, keep: 1000 });
    const result = emptyReadResult();
    const monos: number[] = [];
    for await (const e of readSessionLog(path, result)) monos.push(e.mono);
    expect(monos).toEqual([...Array(300).keys()]);
    expect(result.generations.length).toBe(readdirSync(dir).length);
    expect(result.generations.at(-1)).toBe(path);
    expect(result.generations[0]).toBe(`${path}.${result.generations.length - 1}`);
    expect(result).toMatchObject({ lines: 300, skipped: 0, complete: true, firstTs: '2026-01-01T00:00:00.000Z' });
    expect(describeRead(result)).toBe(`300 events from ${result.generations.length} files`);
  });

  it('says when rotation deleted its beginning, and from when it is complete', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wsmon-log-')), 'session.jsonl');
    write(path, 0, 300, { rotateBytes: 2000, keep: 2 });
    const result = emptyReadResult();
    const monos: number[] = [];
    for await (const e of readSessionLog(path, result)) monos.push(e.mono);
    expect(result.complete).toBe(false);
    expect(result.generations).toEqual([`${path}.2`, `${path}.1`, path]);
    expect(monos.at(-1)).toBe(299);
    expect(result.firstTs).toBe(event(monos[0]!).ts);
    expect(describeRead(result)).toBe(`${monos.length} events from 3 files, incomplete: older parts were deleted by rotation; complete from ${result.firstTs}`);
  });

  // The states a SIGKILL can leave in the middle of a rotation, one rename at a time.
  it('killed between two renames (a gap in the numbers): read in order, and the next rotation goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-log-'));
    const path = join(dir, 'session.jsonl');
    write(path, 0, 3);
    renameSync(path, `${path}.3`); // oldest
    write(path, 3, 6);
    renameSync(path, `${path}.1`); // a rotation renamed .1 -> .2 … and was killed before PATH -> .1, seen from the other side
    write(path, 6, 9);
    const read = async () => {
      const monos: number[] = [];
      for await (const e of readSessionLog(path)) monos.push(e.mono);
      return monos;
    };
    expect(await read()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    write(path, 9, 12, { rotateBytes: 1, keep: 10 }); // rotates after every event
    expect(await read()).toEqual([...Array(12).keys()]);
  });

  it('killed after PATH was renamed and before it was opened again: the rotated files are the session', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wsmon-log-')), 'session.jsonl');
    write(path, 0, 5);
    renameSync(path, `${path}.1`);
    const result = emptyReadResult();
    const monos: number[] = [];
    for await (const e of readSessionLog(path, result)) monos.push(e.mono);
    expect(monos).toEqual([0, 1, 2, 3, 4]);
    expect(result.generations).toEqual([`${path}.1`]);
  });

  it('a torn line at the end of a generation is skipped, not glued to the next', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wsmon-log-')), 'session.jsonl');
    write(path, 0, 3);
    appendFileSync(path, '{"v":1,"ts":"2026-01-01T00:00:00.000Z","mo');
    renameSync(path, `${path}.1`);
    write(path, 3, 5);
    const result = emptyReadResult();
    const monos: number[] = [];
    for await (const e of readSessionLog(path, result)) monos.push(e.mono);
    expect(monos).toEqual([0, 1, 2, 3, 4]);
    expect(result.skipped).toBe(1);
  });

  it('a log that does not exist fails as a file read does', async () => {
    await expect(readAll('/no/such/dir/session.jsonl')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('file modes', () => {
  it('a new log is private to the user; one that exists keeps the mode its owner gave it (wsmon sets modes only on files it made)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'wsmon-log-'));
    const fresh = join(folder, 'fresh.jsonl');
    new SessionLogWriter(fresh).close();
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    const path = join(folder, 'loose.jsonl');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    new SessionLogWriter(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });
});
