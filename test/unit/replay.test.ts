// A past session log, served read-only with the same views.
import { describe, expect, it } from 'vitest';
import { createReadOnlyApiHandler } from '../../src/core/app/api-handler';
import { LogReplay } from '../../src/core/log/replay';

describe('past session logs', () => {
  it('replays into the same statuses and history, and refuses every change', async () => {
    const replay = await LogReplay.load('test/fixtures/session.jsonl');
    expect(replay.read).toMatchObject({ generations: ['test/fixtures/session.jsonl'], lines: 24, skipped: 1, complete: true });
    const call = createReadOnlyApiHandler(replay);
    const list = await call('list', {});
    expect(list).toMatchObject({
      ok: true,
      result: {
        session: { readOnly: true, source: 'test/fixtures/session.jsonl', startWall: Date.UTC(2026, 10, 22, 14), nowMono: 63_000 },
        endpoints: [
          { id: 'api', name: 'api, "eu"', state: 'open', stats: { connects: 2, reconnectAttempts: 1 } },
          { id: 'feed', state: 'paused' },
        ],
        notice: 'Viewing test/fixtures/session.jsonl, read-only (24 events from 1 file, 1 unreadable line(s) skipped).',
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
});
