// Electron main: lifecycle and wiring only. Every decision lives in src/core.
import { app, ipcMain, session, type BrowserWindow } from 'electron';
import { createApiHandler } from '../core/api-handler';
import { Monitor } from '../core/monitor';
import { UpdateBatcher } from '../core/updates';
import { DemoLab } from '../lab/demo';
import { registerIpc, sendUpdate } from './ipc';
import { createMainWindow } from './window';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const monitor = new Monitor();
  const demo = new DemoLab();
  let win: BrowserWindow | null = null;
  const show = () => {
    if (!win || win.isDestroyed()) win = createMainWindow();
    if (win.isMinimized()) win.restore();
    win.focus();
  };

  app.on('second-instance', show);
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    monitor.start();
    registerIpc(ipcMain, createApiHandler(monitor, { demo: () => demo.endpoints() }), () => win);
    new UpdateBatcher(monitor, (u) => sendUpdate(win, u));
    show();
    app.on('activate', show);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => void monitor.stop().then(() => demo.stop()));
}
