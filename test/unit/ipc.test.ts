// The Electron IPC adapter, run under Node with a stand-in for ipcMain (the
// Electron binary cannot run here): one handler per method, our window only.
import { describe, expect, it } from 'vitest';
import { createApiHandler } from '../../src/core/api-handler';
import { ManualClock } from '../../src/core/clock';
import { Monitor } from '../../src/core/monitor';
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
    const unregister = registerIpc(ipc as never, createApiHandler(monitor), () => win as never);
    expect([...handlers.keys()].sort()).toEqual(METHODS.map((m) => `wsmon:${m}`).sort());

    const ours = { sender: win.webContents, senderFrame: mainFrame };
    const list = await handlers.get('wsmon:list')!(ours, {});
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
    registerIpc({ handle: (ch: string, fn: Handler) => void handlers.set(ch, fn), removeHandler: () => {} } as never, createApiHandler(monitor), () => null);
    expect(await handlers.get('wsmon:list')!({ sender: {}, senderFrame: {} }, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await monitor.stop();
  });
});
