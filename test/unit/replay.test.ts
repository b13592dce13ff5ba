// A past session log, served read-only with the same views.
import { describe, expect, it } from 'vitest';
import { createReadOnlyApiHandler } from '../../src/core/app/api-handler';
import { LogReplay } from '../../src/core/log/replay';

describe('past session logs', () => {
  it('replays into the same statuses and history, and refuses every change', async () => {
    const replay = await LogReplay.load('test/fixtures/session.jsonl');
    expect(replay.read).toMatchObject({ generations: ['test/fixtures/session.jsonl'], lines: 24, skipped: 1, complete: true });
    const call = createReadOnlyApiHandler(replay);
    expect(await call('session', {})).toMatchObject({
      ok: true,
      result: {
        session: { readOnly: true, source: 'test/fixtures/session.jsonl', startWall: Date.UTC(2026, 10, 22, 14), nowMono: 63_000 },
        count: 2,
        notice: 'Viewing test/fixtures/session.jsonl, read-only (24 events from 1 file, 1 unreadable line(s) skipped).',
      },
    });
    expect(await call('rows', { sort: 'name' })).toMatchObject({
      ok: true,
      result: {
        rows: [{ id: 'api' }, { id: 'feed', health: 'paused' }],
        statuses: [
          { id: 'api', name: 'api, "eu"', state: 'open', stats: { connects: 2, reconnectAttempts: 1 } },
          { id: 'feed', state: 'paused' },
        ],
      },
    });
    const h = await call('history', { id: 'api', from: 0, to: 63_000 });
    expect(h.ok && (h.result as { raw: unknown[] }).raw).toHaveLength(6);
    for (const [method, payload] of [
      ['pause', { id: 'api' }],
      ['add', { config: { url: 'ws://h/' } }],
      ['remove', { id: 'feed' }],
    ] as const) {
      expect(await call(method, payload)).toEqual({
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'this is a past session log (test/fixtures/session.jsonl), shown read-only' },
      });
    }
    expect(await call('pause', {})).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('an endpoint removed in the log has no data in the overview after its removal, not a paused stretch', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const log = join(mkdtempSync(join(tmpdir(), 'wsmon-replay-')), 'removed.jsonl');
    // The fixture's feed is paused and closed at 62.2 s; here it is then removed at 62.5 s.
    const lines = readFileSync('test/fixtures/session.jsonl', 'utf8').split('\n').slice(0, 23);
    const removal = '{"v":1,"ts":"2026-11-22T14:01:02.500Z","mono":62500,"endpoint":"feed","type":"endpoint-removed","name":"feed","url":"ws://feed.example/"}';
    const end = '{"v":1,"ts":"2026-11-22T14:01:03.000Z","mono":63000,"type":"session-end","app":"wsmon","version":"0.1.0"}';
    writeFileSync(log, [...lines, removal, end, ''].join('\n'));
    const call = createReadOnlyApiHandler(await LogReplay.load(log));
    const o = await call('overview', { from: 0, to: 63_000, columns: 126 });
    const feed = (o as { ok: true; result: { rows: { id: string; states: string }[] } }).result.rows.find((e) => e.id === 'feed')!;
    // The last half second (after the removal): 0 ("none"), not 1 ("off", drawn as paused); before it, data.
    expect(feed.states.at(-1)).toBe('0');
    expect(feed.states.slice(3, 120)).toMatch(/^[^0]+$/);
  });
});
