// Crash safety with real processes and SIGKILL: the session log keeps every
// complete line, and a config save leaves the old file or the new one.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, migrate, saveConfig } from '../../src/core/app/config-store';
import { removeStaleTemps } from '../../src/core/files/gate';
import { readSnapshot } from '../../src/core/log/snapshot';
import { emptyReadResult, readSessionLog, type ReadResult } from '../../src/core/log/session-log';
import { bundleForNode } from '../helpers/bundle';

const KILLS = 20;
let saveChild: string;
let logChild: string;
let snapshotChild: string;
beforeAll(async () => {
  [saveChild, logChild, snapshotChild] = (await Promise.all(
    ['save-config', 'write-log', 'write-snapshot'].map((name) => bundleForNode(`test/helpers/children/${name}.ts`)),
  )) as [string, string, string];
}, 60_000);

/** Starts a child, waits until it is working, lets it run a little, then SIGKILLs it. */
async function killMidway(script: string, args: string[], runMs: number): Promise<void> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  await new Promise((r) => setTimeout(r, runMs)); // how long it works before the crash: the scenario, not a wait for an event
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

/**
 * Kills the log-writing child KILLS times into one log, then reads the whole
 * session back: within each run, sequence numbers arrive complete and in order
 * (nothing lost before the last flush, nothing duplicated, generations in order).
 */
async function crashAndRecover(rotation: string[]): Promise<{ path: string; result: ReadResult }> {
  const path = join(mkdtempSync(join(tmpdir(), 'wsmon-crash-')), 'session.jsonl');
  for (let run = 1; run <= KILLS; run++) await killMidway(logChild, [path, String(run), ...rotation], 20 + ((run * 37) % 80));
  const result = emptyReadResult();
  const seen = new Map<string, number>();
  let events = 0;
  for await (const e of readSessionLog(path, result)) {
    if (e.type !== 'rtt') continue;
    const last = seen.get(e.endpoint!) ?? 0;
    expect(e.seq).toBe(last + 1);
    seen.set(e.endpoint!, e.seq);
    events++;
  }
  expect(seen.size).toBe(KILLS);
  expect(events).toBeGreaterThan(KILLS * 100);
  expect(result.lines).toBe(events);
  // Only a torn last line per crash may be unreadable, and it is only ever the end of a run.
  expect(result.skipped).toBeLessThanOrEqual(KILLS);
  const torn = result.generations.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l && !l.endsWith('}'));
  expect(torn.length).toBe(result.skipped);
  return { path, result };
}

describe('crash safety', () => {
  it(`session log: ${KILLS} SIGKILLs at full speed, never rotating; every complete line recovered, nothing corrupt`, async () => {
    const { path, result } = await crashAndRecover([String(2 ** 40), '5']);
    expect(result.generations).toEqual([path]);
  }, 120_000);

  it(`session log: ${KILLS} SIGKILLs at full speed, rotating every 64 KiB; the whole session read across generations`, async () => {
    const { result } = await crashAndRecover([String(64 * 1024), '100000']);
    // The writers rotated many times (kills land between, and sometimes during, rotations) and nothing was deleted.
    expect(result.generations.length).toBeGreaterThan(KILLS);
  }, 120_000);

  it(`config: ${KILLS} SIGKILLs during saves; the file is always the old list or the new one`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-crash-'));
    const path = join(dir, 'endpoints.json');
    for (let run = 1; run <= KILLS; run++) {
      await killMidway(saveChild, [path], 10 + ((run * 13) % 40));
      const loaded = loadConfig(path);
      expect(loaded.problem).toBeNull();
      expect(loaded.entries).toHaveLength(300);
      const tags = new Set(loaded.entries.map((e) => e.input.name!.split('-')[0]));
      expect(tags.size).toBe(1); // all a or all b: never a mix
    }
    expect(readdirSync(dir).filter((f) => f.includes('.broken-'))).toEqual([]);
    // A kill between writing the temporary copy and renaming it leaves endpoints.json.tmp-PID (a full copy, secrets
    // and all); the next load removes those of processes that are gone.
    loadConfig(path);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 120_000);

  it(`history snapshot: ${KILLS} SIGKILLs during writes; the file is always a whole earlier snapshot or the new one`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-crash-'));
    const path = join(dir, 'history.snapshot');
    let leftovers = 0;
    for (let run = 1; run <= KILLS; run++) {
      await killMidway(snapshotChild, [path], 30 + ((run * 37) % 120));
      const snapshot = await readSnapshot(path); // throws if damaged: the digest covers every byte
      expect(snapshot.endpoints).toHaveLength(100);
      const tags = new Set(snapshot.endpoints.map((e) => e.id.split('-')[0]));
      expect(tags.size).toBe(1); // all a or all b: never a mix
      expect(snapshot.endpoints[99]!.past.history.minutes.length).toBe(1439);
      leftovers += readdirSync(dir).filter((f) => f.includes('.tmp-')).length;
    }
    // Kills land mid-write (the child writes one after another), leaving the killed process's temporary copy: the next session removes those.
    expect(leftovers).toBeGreaterThan(0);
    removeStaleTemps(path);
    expect(readdirSync(dir)).toEqual(['history.snapshot']);
  }, 180_000);
});

describe('config file', () => {
  it('round-trips through an atomic save', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wsmon-cfg-')), 'endpoints.json');
    saveConfig(path, [{ url: 'ws://h/', name: 'h' }]);
    expect(loadConfig(path)).toMatchObject({ entries: [{ input: { url: 'ws://h/', name: 'h' } }], problem: null, backup: null });
  });

  it('migrates the old bare-list format', () => {
    expect(migrate([{ url: 'ws://h/' }])).toEqual({ version: 1, endpoints: [{ url: 'ws://h/' }] });
  });

  it('keeps an unreadable file aside and starts empty, saying so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-cfg-'));
    const path = join(dir, 'endpoints.json');
    writeFileSync(path, '{"version": 1, "endpoints": [');
    const r = loadConfig(path, { now: Date.UTC(2026, 10, 22) });
    expect(r.entries).toEqual([]);
    expect(r.problem).toMatch(
      /^the saved endpoints file ".*endpoints\.json" is not JSON: it ends too early \(line 1\); it was kept as .*endpoints\.json\.broken-2026-11-22T00-00-00-000Z; starting without the saved endpoints$/,
    );
    expect(readFileSync(r.backup!, 'utf8')).toBe('{"version": 1, "endpoints": [');
  });

  it('keeps the valid endpoints of a partly invalid file and names the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-cfg-'));
    const path = join(dir, 'endpoints.json');
    writeFileSync(
      path,
      JSON.stringify({ version: 1, endpoints: [{ url: 'ws://ok/' }, { url: 'http://bad/' }, { url: 'ws://ok2/', heartbeat: { misses: 0 } }] }),
    );
    const r = loadConfig(path);
    expect(r.entries.map((e) => e.input)).toEqual([{ url: 'ws://ok/' }]);
    expect(r.problem).toMatch(
      /^2 saved endpoint\(s\) could not be used \(endpoint 2: url: URL must start with ws:\/\/ .*; endpoint 3: heartbeat\.misses: misses before dead must be at least 1\); the original file was kept as /,
    );
  });

  it('a missing file is an empty list, not a problem', () => {
    expect(loadConfig('/no/such/dir/endpoints.json')).toEqual({ entries: [], problem: null, backup: null });
  });
});
