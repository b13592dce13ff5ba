// MonitorApi over Electron IPC: one handler per method, answering only the top
// frame of one of our windows, each with its own API (the live monitor, or a
// past session log shown read-only). Validation and dispatch live in
// core/app/api-handler. Electron's ipcMain is passed in, so this adapter runs under
// plain Node in tests.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { METHODS, type Envelope, type Push } from '../shared/api';
import { methodChannel, PUSH_CHANNEL } from '../shared/transport';
import type { ApiHandler } from '../core/app/api-handler';

type Window = Pick<BrowserWindow, 'webContents'>;
export interface ApiWindow {
  window: Window;
  handle: ApiHandler;
}

export function registerIpc(ipc: Pick<IpcMain, 'handle' | 'removeHandler'>, windows: () => Iterable<ApiWindow>): () => void {
  const handlerFor = (e: IpcMainInvokeEvent): ApiHandler | null => {
    for (const w of windows()) if (e.sender === w.window.webContents && e.senderFrame === w.window.webContents.mainFrame) return w.handle;
    return null;
  };
  for (const method of METHODS) {
    ipc.handle(methodChannel(method), (e, payload: unknown): Promise<Envelope> | Envelope => {
      const handle = handlerFor(e);
      if (!handle) return { ok: false, error: { code: 'FORBIDDEN', message: 'calls are only accepted from the wsmon window' } };
      return handle(method, payload);
    });
  }
  return () => METHODS.forEach((m) => ipc.removeHandler(methodChannel(m)));
}

export function push(win: BrowserWindow | null, message: Push): void {
  if (win && !win.isDestroyed()) win.webContents.send(PUSH_CHANNEL, message);
}
