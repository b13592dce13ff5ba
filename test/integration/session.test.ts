// The desktop app's engine (core/app/session) under Node: endpoints and
// settings persist in the data folder, the session log follows the log
// setting, and notices follow the mute settings.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Session } from '../../src/core/app/session';
import { ManualClock } from '../../src/core/engine/clock';
import type { Notice } from '../../src/shared/api';
import { DEFAULT_SETTINGS } from '../../src/shared/settings/app';
import { historyLimits } from '../../src/core/record/history';
import { startLab, type Lab } from '../lab';
import { EventLog } from '../helpers/events';
import { until } from '../helpers/harness';
import { parseEndpoint } from '../../src/shared/config';

const ALL = ['keepInTray', 'logRtt', 'notifications', 'muted'] as const;

describe('Session', () => {
  let dir: string;
  let lab: Lab;
  const running: Session[] = [];
  const open = async (opts: Partial<ConstructorParameters<typeof Session>[0]> = {}) => {
    const s = new Session({ dataDir: dir, applies: [...ALL], ...opts });
    running.push(s);
    await s.start();
    return s;
  };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wsmon-app-'));
    lab = await startLab();
  });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds each endpoint’s history from earlier runs’ session logs, before what this run records, with the time between runs unmonitored', async () => {
    const ep = { url: lab.url('/h'), name: 'h', heartbeat: { intervalMs: 100, timeoutMs: 80 } };
    writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ version: 1, endpoints: [ep] }));
    const first = await open({ now: new Date() });
    const all = (s: Session) => s.records.recorder('h').history.query(-Infinity, Infinity).raw;
    await until(() => all(first).length >= 5, 'five samples in the first run');
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const firstRun = all(first).map((p) => p.rttMs);

    const second = await open({ now: new Date(Date.now() + 1) });
    const progress: number[] = [];
    second.onHistoryProgress((c) => progress.push(c.fraction));
    const done = await second.rebuilt;
    // From the snapshot the first run wrote at its stop, and the first run's log after it (its stop's events).
    expect(done).toMatchObject({ fraction: 1, files: 1, source: 'snapshot' });
    expect(done.fromMono).toBeLessThan(0);
    expect(progress.at(-1)).toBe(1);
    // Every sample of the first run, at times before this run began, then this run's own.
    const raw = all(second);
    expect(raw.filter((p) => p.t < 0).map((p) => Math.fround(p.rttMs))).toEqual(firstRun.map((v) => Math.fround(v)));
    expect(raw.map((p) => p.t)).toEqual([...raw.map((p) => p.t)].sort((a, b) => a - b));
    // Open in the first run, not monitored between the runs (not "up"), then this run's states.
    await until(() => second.records.status('h').state === 'open', 'the second run open');
    const now = second.monitor.now();
    const segments = second.records.recorder('h').timeline.segments(-1e9, now, now);
    const states = segments.map((x) => x.state);
    expect(states.slice(0, 2)).toEqual(['connecting', 'open']);
    const gap = states.indexOf('stopped');
    expect(gap).toBeGreaterThan(1);
    expect(segments[gap]!.to).toBeGreaterThanOrEqual(-50); // until this run began (its first state, at about 0)
    expect(states.slice(gap + 1)).toContain('open');
    // The window's history answer carries uptime over the last day, earlier run included.
    const answer = await second.handler()('history', { id: 'h', from: done.fromMono!, to: now });
    expect(answer).toMatchObject({
      ok: true,
      result: { uptime: { day: { value: expect.any(Number) }, week: { value: expect.any(Number) }, quarter: { value: expect.any(Number) } } },
    });
  });

  it('without a usable history snapshot the logs are replayed, and the window is told why; the next stop writes a good one', async () => {
    const ep = { url: lab.url('/h'), name: 'h', heartbeat: { intervalMs: 100, timeoutMs: 80 } };
    writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ version: 1, endpoints: [ep] }));
    const first = await open({ now: new Date() });
    await first.rebuilt;
    await until(() => first.records.recorder('h').history.query(-Infinity, Infinity).raw.length >= 3, 'three samples');
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const snapshot = join(dir, 'history.snapshot');
    const bytes = readFileSync(snapshot);
    bytes[bytes.length - 40]! ^= 0xff;
    writeFileSync(snapshot, bytes);

    const second = await open({ now: new Date(Date.now() + 1) });
    const done = await second.rebuilt;
    expect(done).toMatchObject({ fraction: 1, files: 1, source: 'logs' });
    expect(done.fromMono).toBeLessThan(0);
    expect(second.notice()).toBe(
      'The history snapshot could not be used (its checksum does not match (damaged)); history was rebuilt from the session logs instead.',
    );
    await second.stop();
    running.splice(running.indexOf(second), 1);
    const third = await open({ now: new Date(Date.now() + 2) });
    expect(await third.rebuilt).toMatchObject({ source: 'snapshot' });
    expect(third.notice()).toBeNull();
  });

  it('a history snapshot that cannot be written is said once, and nothing is lost: the next start replays the logs and says why', async () => {
    const ep = { url: lab.url('/h'), name: 'h', heartbeat: { intervalMs: 100, timeoutMs: 80 } };
    writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ version: 1, endpoints: [ep] }));
    mkdirSync(join(dir, 'history.snapshot')); // a folder where the file goes: the gate refuses to write it
    const first = await open({ now: new Date() });
    await first.rebuilt;
    await until(() => first.records.recorder('h').history.query(-Infinity, Infinity).raw.length >= 3, 'three samples');
    await first.snapshot();
    await first.snapshot();
    // Its start already said the folder could not be read; two failed writes are said once.
    const said = first.notice()!.split(/(?<=\.) (?=The)/);
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(/^The history snapshot could not be used \(the history snapshot ".+" is a folder; wsmon reads regular files only\)/);
    expect(said[1]).toMatch(
      /^The history snapshot could not be written \(the history snapshot ".+" is a folder; wsmon writes regular files only\); the session logs still hold everything\.$/,
    );
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await open({ now: new Date(Date.now() + 1) });
    expect(await second.rebuilt).toMatchObject({ source: 'logs', files: 1 });
    expect(second.notice()).toMatch(
      /^The history snapshot could not be used \(the history snapshot ".+" is a folder; wsmon reads regular files only\); history was rebuilt/,
    );
    expect(second.records.recorder('h').history.query(-Infinity, 0).raw.length).toBeGreaterThanOrEqual(3);
  });

  it('demo endpoints are monitored but not saved (their servers die with the process); the others are', async () => {
    const demo = async () => [{ id: 'demo-a', name: 'demo-a', url: lab.url('/demo-a') }];
    const s = await open({ demo });
    const call = s.handler();
    expect(await call('addDemo', {})).toMatchObject({ ok: true, result: [{ id: 'demo-a' }] });
    expect(await call('add', { config: { url: lab.url('/mine'), name: 'mine' }, connect: false })).toMatchObject({ ok: true });
    await s.stop();
    const saved = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as { endpoints: { name: string }[] };
    expect(saved.endpoints.map((e) => e.name)).toEqual(['mine']);
  });

  it('an existing data folder keeps its mode (wsmon sets modes only on what it made); the files it writes there are private', async () => {
    chmodSync(dir, 0o755);
    const s = await open();
    s.monitor.add(parseEndpoint({ url: lab.url('/m'), name: 'm' }), false);
    await s.persisted();
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'endpoints.json')).mode & 0o777).toBe(0o600);
  });

  it('300 adds in a loop share a few saves of the endpoint list, not one each; stop writes what is pending', async () => {
    const s = await open();
    const path = join(dir, 'endpoints.json');
    const saves: string[] = [];
    const watcher = watch(dir, (_event, file) => file === 'endpoints.json' && saves.push(file));
    try {
      for (let i = 0; i < 300; i++) s.monitor.add(parseEndpoint({ url: lab.url(`/e${i}`), name: `e${i}` }), false);
      await until(() => existsSync(path) && (JSON.parse(readFileSync(path, 'utf8')) as { endpoints: unknown[] }).endpoints.length === 300, 'the list saved');
      expect(saves.length).toBeLessThanOrEqual(3);
      s.monitor.add(parseEndpoint({ url: lab.url('/last'), name: 'last' }), false);
      await s.stop();
      expect((JSON.parse(readFileSync(path, 'utf8')) as { endpoints: unknown[] }).endpoints).toHaveLength(301);
    } finally {
      watcher.close();
    }
  });

  it('keeps as many days of history as its setting says: what was recorded moves into the smaller rings at once, and the next start restores into them', async () => {
    const ep = { url: lab.url('/d'), name: 'd', heartbeat: { intervalMs: 100, timeoutMs: 80 } };
    writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ version: 1, endpoints: [ep] }));
    const first = await open({ now: new Date(), applies: [...ALL, 'historyDays'] });
    const history = (s: Session) => s.records.recorder('d').history;
    await until(() => history(first).query(-Infinity, Infinity).raw.length >= 5, 'five samples in the first run');
    expect(history(first).limits).toEqual(historyLimits(365));
    const before = history(first).query(-Infinity, Infinity);
    expect(first.updateSettings({ historyDays: 7 }).settings.historyDays).toBe(7);
    expect(history(first).limits).toEqual(historyLimits(7));
    const after = history(first).query(-Infinity, Infinity);
    expect(after.raw.slice(0, before.raw.length)).toEqual(before.raw);
    expect(after.buckets[0]).toMatchObject({ t: before.buckets[0]!.t, count: expect.any(Number) });
    expect(after.buckets[0]!.count).toBeGreaterThanOrEqual(before.buckets[0]!.count);
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const firstRun = history(first)
      .query(-Infinity, Infinity)
      .raw.map((p) => Math.fround(p.rttMs));

    const second = await open({ now: new Date(Date.now() + 1), applies: [...ALL, 'historyDays'] });
    expect(second.settings.historyDays).toBe(7);
    await second.rebuilt;
    expect(history(second).limits).toEqual(historyLimits(7));
    const raw = history(second).query(-Infinity, Infinity).raw;
    expect(raw.filter((p) => p.t < 0).map((p) => Math.fround(p.rttMs))).toEqual(firstRun);
  });

  it('keeps endpoints and settings in its data folder across restarts', async () => {
    const first = await open();
    first.monitor.add(parseEndpoint({ url: lab.url('/a'), name: 'api-a' }), false);
    const answer = first.updateSettings({ keepInTray: false, logRtt: 'minute', muted: ['api-a'] });
    expect(answer).toEqual({
      settings: { ...DEFAULT_SETTINGS, keepInTray: false, logRtt: 'minute', muted: ['api-a'] },
      applies: [...ALL],
      // The window names a muted endpoint without holding every endpoint's status.
      mutedNames: { 'api-a': 'api-a' },
      logs: { runs: 1, bytes: expect.any(Number) },
    });
    await first.stop();
    running.length = 0;

    const second = await open();
    expect(second.monitor.ids()).toEqual(['api-a']);
    expect(second.settings).toEqual({ ...DEFAULT_SETTINGS, keepInTray: false, logRtt: 'minute', muted: ['api-a'] });
    expect(second.notice()).toBeNull();
    // One session log per run.
    expect(readdirSync(join(dir, 'sessions'))).toHaveLength(2);
  });

  it("deletes earlier runs' logs past the retention settings at start and when they change, never this run's, and says what the logs take", async () => {
    const sessions = join(dir, 'sessions');
    mkdirSync(sessions);
    const old = (name: string, daysAgo: number, bytes: number) => {
      writeFileSync(join(sessions, name), 'x'.repeat(bytes));
      const t = (Date.now() - daysAgo * 86_400_000) / 1000;
      utimesSync(join(sessions, name), t, t);
    };
    old('session-2026-10-01T00-00-00-000Z.jsonl', 60, 100);
    old('session-2026-10-01T00-00-00-000Z.jsonl.1', 60, 100);
    old('session-2026-11-30T00-00-00-000Z.jsonl', 6, 20 * 1024 * 1024);
    old('session-2026-12-05T00-00-00-000Z.jsonl', 1, 1000);
    const s = await open();
    // 60 days is past the 30 kept by default: that run goes, its generation with it.
    expect(readdirSync(sessions).sort()).toEqual(
      ['session-2026-11-30T00-00-00-000Z.jsonl', 'session-2026-12-05T00-00-00-000Z.jsonl', basename(s.logPath!)].sort(),
    );
    expect(await s.handler()('settings', {})).toMatchObject({ ok: true, result: { logs: { runs: 3, bytes: expect.any(Number) } } });
    // 16 MiB in all: the 20 MiB run goes, the newer ones and this run's stay.
    s.updateSettings({ logKeepMiB: 16 });
    expect(readdirSync(sessions).sort()).toEqual(['session-2026-12-05T00-00-00-000Z.jsonl', basename(s.logPath!)].sort());
  });

  it('keeps a broken settings file aside, runs on the defaults and says what happened', async () => {
    writeFileSync(join(dir, 'settings.json'), '{"version":1,"logRtt":"hourly"}');
    const s = await open();
    expect(s.settings).toEqual(DEFAULT_SETTINGS);
    expect(s.notice()).toMatch(
      /^the saved settings could not be used \(logRtt: logRtt must be one of all, minute\); the file was kept as .*settings\.json\.broken-[^ ]+; using the default settings$/,
    );
    const backup = readdirSync(dir).find((f) => f.startsWith('settings.json.broken-'))!;
    expect(readFileSync(join(dir, backup), 'utf8')).toBe('{"version":1,"logRtt":"hourly"}');
  });

  it('writes one RTT summary per endpoint per minute when the log setting says so, and every state change', async () => {
    const s = await open();
    s.updateSettings({ logRtt: 'minute' });
    const log = new EventLog(s.monitor);
    const id = s.monitor.add(parseEndpoint({ url: lab.url('/rtt'), name: 'rtt', heartbeat: { intervalMs: 50, timeoutMs: 1000 } })).id;
    await log.nth(id, 'rtt', 6);
    await s.monitor.remove(id);
    await s.stop();
    const lines = readFileSync(s.logPath!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; endpoint?: string; samples?: number });
    const mine = lines.filter((l) => l.endpoint === id);
    const rtt = mine.filter((l) => l.type === 'rtt');
    const seen = log.of(id).filter((e) => e.type === 'rtt').length;
    expect(rtt.length).toBeLessThanOrEqual(2); // a minute boundary may split the run in two
    expect(rtt.reduce((n, l) => n + l.samples!, 0)).toBe(seen);
    expect(mine.map((l) => l.type).filter((t) => t !== 'rtt')).toEqual(
      log
        .of(id)
        .map((e) => e.type)
        .filter((t) => t !== 'rtt'),
    );
  });

  it('announces only the outages the mute settings allow, and forgets the mute of a removed endpoint', async () => {
    const clock = new ManualClock();
    const s = await open({ clock });
    const notices: Notice[] = [];
    s.onNotice((n) => notices.push(n));
    const log = new EventLog(s.monitor);
    lab.route('/down', { refuse: 503 });
    const down = { url: lab.url('/down'), backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 'none' as const }, alerts: { downAfterMs: 0 } };
    s.updateSettings({ muted: ['quiet'] });
    s.monitor.add(parseEndpoint({ ...down, name: 'quiet' }));
    s.monitor.add(parseEndpoint({ ...down, name: 'loud' }));
    await log.nth('quiet', 'reconnect-scheduled');
    await log.nth('loud', 'reconnect-scheduled');
    clock.advance(1); // the grace period (0) ends for both
    // Refused from their first connect, they never were up: no incident, each its own notice (the muted one none).
    expect(notices.map((n) => [n.endpoint, n.kind])).toEqual([['loud', 'down']]);
    expect(s.incidents.openIncidents).toEqual([]);

    s.updateSettings({ notifications: false, muted: [] });
    lab.route('/down', {});
    s.monitor.reconnectNow('loud');
    await log.nth('loud', 'open');
    expect(notices).toHaveLength(1); // the recovery is not announced: notifications are off

    await s.monitor.remove('quiet');
    s.updateSettings({ muted: ['loud'] });
    await s.monitor.remove('loud');
    expect(s.settings.muted).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')).muted).toEqual([]);
    await s.persisted(); // the endpoint list's changes share one save, a moment later
    expect(existsSync(join(dir, 'endpoints.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')).endpoints).toEqual([]);
  });
});
