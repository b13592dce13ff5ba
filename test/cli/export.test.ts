// wsmon export of a rotated session log, through the built CLI: every generation, and says so.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionLogWriter } from '../../src/core/log/session-log';
import { stamp, type WsmonEvent } from '../../src/shared/events';
import { runCli } from '../helpers/cli';

const T0 = Date.UTC(2026, 10, 22, 14);

/** A session of N events written with rotation after every ~2 KB. */
function rotatedSession(n: number, keep: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wsmon-export-')), 'session.jsonl');
  const w = new SessionLogWriter(path, { rotateBytes: 2000, keep });
  w.write(stamp({ type: 'session-start', app: 'wsmon', version: '0.1.0' }, T0, 0));
  for (let seq = 1; seq < n; seq++) {
    w.write(stamp({ type: 'rtt', seq, rttMs: seq / 10, via: 'ping' }, T0 + seq * 1000, seq * 1000, 'api'));
    w.flush();
  }
  w.close();
  return path;
}

describe('wsmon export of a rotated session log', () => {
  it('includes every generation, oldest first, and says how many files it read', async () => {
    const path = rotatedSession(200, 100);
    const files = readdirSync(join(path, '..')).length;
    expect(files).toBeGreaterThan(5);
    const r = await runCli(['export', path, '--format', 'json']);
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout) as WsmonEvent[];
    expect(events.map((e) => e.mono)).toEqual([...Array(200).keys()].map((i) => i * 1000));
    expect(r.stderr).toBe(`wsmon export: 200 events written; read 200 events from ${files} files\n`);
  });

  it('says the session is incomplete when rotation deleted its beginning, and from when it is complete', async () => {
    const path = rotatedSession(200, 2);
    const r = await runCli(['export', path, '--format', 'csv']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\r\n').slice(1);
    const first = rows[0]!.split(',')[0];
    expect(r.stderr).toBe(
      `wsmon export: ${rows.length} events written; read ${rows.length} events from 3 files, incomplete: older parts were deleted by rotation; complete from ${first}\n`,
    );
    expect(rows.at(-1)).toContain(new Date(T0 + 199_000).toISOString());
    const html = await runCli(['export', path, '--format', 'html']);
    expect(html.stdout).toContain(
      `<p class="warn">Read ${rows.length} events from 3 files, incomplete: older parts were deleted by rotation; complete from ${first}.</p>`,
    );
  });
});
