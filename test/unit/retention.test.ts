// Earlier runs' session logs kept within bounds (core/log/retention.ts), on real files.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneRunLogs, runLogs } from '../../src/core/log/retention';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');

/** A run's log (and its rotated generations) of `bytes` each, last written `daysAgo`. */
function run(dir: string, name: string, daysAgo: number, bytes = 1000, generations = 0): void {
  for (const suffix of ['', ...Array.from({ length: generations }, (_, i) => `.${i + 1}`)]) {
    const path = join(dir, `${name}${suffix}`);
    writeFileSync(path, 'x'.repeat(bytes));
    const t = (NOW - daysAgo * DAY) / 1000;
    utimesSync(path, t, t);
  }
}

describe('session log retention', () => {
  it('deletes runs older than the days kept, each with its generations; never the current run; nothing else in the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-keep-'));
    run(dir, 'session-a.jsonl', 40, 1000, 2);
    run(dir, 'session-b.jsonl', 10);
    run(dir, 'session-now.jsonl', 60); // the current run: old by its time, kept all the same
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect(runLogs(dir).map((r) => [r.name, r.paths.length, r.bytes])).toEqual([
      ['session-now.jsonl', 1, 1000],
      ['session-a.jsonl', 3, 3000],
      ['session-b.jsonl', 1, 1000],
    ]);
    const r = pruneRunLogs(dir, 'session-now.jsonl', { days: 30, bytes: 1e9 }, NOW);
    expect(r).toEqual({ deleted: ['session-a.jsonl'], left: { runs: 2, bytes: 2000 } });
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'session-b.jsonl', 'session-now.jsonl']);
  });

  it('over the size kept, the oldest runs go until all fit (the current one counted)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-keep-'));
    run(dir, 'session-1.jsonl', 5, 4000);
    run(dir, 'session-2.jsonl', 4, 4000);
    run(dir, 'session-3.jsonl', 3, 4000);
    run(dir, 'session-now.jsonl', 0, 4000);
    const r = pruneRunLogs(dir, 'session-now.jsonl', { days: 30, bytes: 9000 }, NOW);
    expect(r).toEqual({ deleted: ['session-1.jsonl', 'session-2.jsonl'], left: { runs: 2, bytes: 8000 } });
  });

  it('a symlink or a folder named like a log is neither counted nor deleted, nor what it points to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-keep-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'wsmon-keep-target-'));
    writeFileSync(join(elsewhere, 'precious'), 'keep me');
    symlinkSync(join(elsewhere, 'precious'), join(dir, 'session-link.jsonl'));
    mkdirSync(join(dir, 'session-dir.jsonl'));
    run(dir, 'session-old.jsonl', 99);
    expect(pruneRunLogs(dir, null, { days: 1, bytes: 0 }, NOW)).toEqual({ deleted: ['session-old.jsonl'], left: { runs: 0, bytes: 0 } });
    expect(existsSync(join(elsewhere, 'precious'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['session-dir.jsonl', 'session-link.jsonl']);
  });
});
