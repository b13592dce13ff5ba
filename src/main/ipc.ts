// MonitorApi over Electron IPC: one handler per method, answering only our
// own window's top frame. Validation and dispatch live in core/api-handler.
// Electron's ipcMain is passed in, so this adapter runs under plain Node in tests.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { METHODS, UPDATE_CHANNEL, type Envelope, type Update } from '../shared/api';
import type { ApiHandler } from '../core/api-handler';

type Window = Pick<BrowserWindow, 'webContents'>;

export function registerIpc(ipc: Pick<IpcMain, 'handle' | 'removeHandler'>, handle: ApiHandler, window: () => Window | null): () => void {
  const fromOurWindow = (e: IpcMainInvokeEvent) => {
    const win = window();
    return win !== null && e.sender === win.webContents && e.senderFrame === win.webContents.mainFrame;
  };
  for (const method of METHODS) {
    ipc.handle(`wsmon:${method}`, (e, payload: unknown): Promise<Envelope> | Envelope => {
      if (!fromOurWindow(e)) return { ok: false, error: { code: 'FORBIDDEN', message: 'calls are only accepted from the wsmon window' } };
      return handle(method, payload);
    });
  }
  return () => METHODS.forEach((m) => ipc.removeHandler(`wsmon:${m}`));
}

export function sendUpdate(win: BrowserWindow | null, update: Update): void {
  if (win && !win.isDestroyed()) win.webContents.send(UPDATE_CHANNEL, update);
}
