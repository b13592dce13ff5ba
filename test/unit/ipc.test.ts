// The Electron IPC adapter, run under Node with a stand-in for ipcMain (the
// Electron binary cannot run here): one handler per method, our window only.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiHandler, createReadOnlyApiHandler } from '../../src/core/app/api-handler';
import { LogReplay } from '../../src/core/log/replay';
import { stamp } from '../../src/shared/events';
import { ManualClock } from '../../src/core/engine/clock';
import { Monitor } from '../../src/core/engine/monitor';
import { Records } from '../../src/core/record/records';
import { registerIpc } from '../../src/main/ipc';
import { METHODS, type Envelope } from '../../src/shared/api';

type Handler = (event: unknown, payload: unknown) => Promise<Envelope> | Envelope;

describe('IPC adapter', () => {
  it('registers one handler per method, answers our top frame and refuses anyone else', async () => {
    const handlers = new Map<string, Handler>();
    const ipc = { handle: (ch: string, fn: Handler) => void handlers.set(ch, fn), removeHandler: (ch: string) => void handlers.delete(ch) };
    const mainFrame = { name: 'top' };
    const win = { webContents: { mainFrame } };
    const monitor = new Monitor({ clock: new ManualClock() });
    const unregister = registerIpc(ipc as never, () => [{ window: win as never, handle: createApiHandler(monitor, Records.follow(monitor)) }]);
    expect([...handlers.keys()].sort()).toEqual(METHODS.map((m) => `wsmon:${m}`).sort());

    const ours = { sender: win.webContents, senderFrame: mainFrame };
    const list = await handlers.get('wsmon:session')!(ours, {});
    expect(list.ok).toBe(true);

    const iframe = { sender: win.webContents, senderFrame: { name: 'child' } };
    const stranger = { sender: { mainFrame: {} }, senderFrame: {} };
    for (const e of [iframe, stranger]) {
      expect(await handlers.get('wsmon:add')!(e, { config: { url: 'ws://127.0.0.1:9/' } })).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'calls are only accepted from the wsmon window' },
      });
    }
    expect(monitor.ids()).toEqual([]);

    const bad = await handlers.get('wsmon:add')!(ours, { config: { url: 'ftp://x/' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG', problems: [{ path: 'url' }] } });
    const good = await handlers.get('wsmon:add')!(ours, { config: { url: 'ws://127.0.0.1:9/', id: 'e1' }, connect: false });
    expect(good).toMatchObject({ ok: true, result: { id: 'e1' } });

    unregister();
    expect(handlers.size).toBe(0);
    await monitor.stop();
  });

  it('refuses every call while there is no window', async () => {
    const handlers = new Map<string, Handler>();
    const monitor = new Monitor({ clock: new ManualClock() });
    registerIpc({ handle: (ch: string, fn: Handler) => void handlers.set(ch, fn), removeHandler: () => {} } as never, () => []);
    expect(await handlers.get('wsmon:session')!({ sender: {}, senderFrame: {} }, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await monitor.stop();
  });

  it('answers each window with its own API: a past session log opened beside the live window stays read-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsmon-ipc-'));
    const log = join(dir, 'past.jsonl');
    writeFileSync(log, `${JSON.stringify(stamp({ type: 'endpoint-added', name: 'old', url: 'ws://127.0.0.1:9/' }, Date.UTC(2026, 0, 1), 0, 'old'))}\n`);
    const handlers = new Map<string, Handler>();
    const live = { webContents: { mainFrame: {} } };
    const past = { webContents: { mainFrame: {} } };
    const monitor = new Monitor({ clock: new ManualClock() });
    const replay = createReadOnlyApiHandler(await LogReplay.load(log));
    registerIpc({ handle: (ch: string, fn: Handler) => void handlers.set(ch, fn), removeHandler: () => {} } as never, () => [
      { window: live as never, handle: createApiHandler(monitor, Records.follow(monitor)) },
      { window: past as never, handle: replay },
    ]);
    const from = (w: typeof live) => ({ sender: w.webContents, senderFrame: w.webContents.mainFrame });
    expect(await handlers.get('wsmon:session')!(from(past), {})).toMatchObject({ ok: true, result: { session: { readOnly: true }, count: 1 } });
    expect(await handlers.get('wsmon:add')!(from(past), { config: { url: 'ws://127.0.0.1:9/' } })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await handlers.get('wsmon:add')!(from(live), { config: { url: 'ws://127.0.0.1:9/', id: 'new' }, connect: false })).toMatchObject({ ok: true });
    expect(monitor.ids()).toEqual(['new']);
    await monitor.stop();
    rmSync(dir, { recursive: true });
  });
});
