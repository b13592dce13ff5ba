// The main window, locked down: isolated, sandboxed, no Node, no navigation,
// no new windows. Its bounds are remembered in the app's data folder.
import { app, BrowserWindow, screen } from 'electron';
import { join } from 'node:path';
import { DEFAULT_BOUNDS, loadBounds, saveBounds } from '../core/app/window-state';

const boundsFile = () => join(app.getPath('userData'), 'window.json');

export function createMainWindow(title = 'wsmon'): BrowserWindow {
  const win = new BrowserWindow({
    ...DEFAULT_BOUNDS,
    ...loadBounds(
      boundsFile(),
      screen.getAllDisplays().map((d) => d.workArea),
    ),
    minWidth: 640,
    minHeight: 420,
    show: false,
    title,
    icon: join(__dirname, '../../resources/icon.png'),
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // The window links nowhere outside itself: nothing it asks to open is opened, in it or in the OS browser.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.on('close', () => saveBounds(boundsFile(), win.getNormalBounds()));
  void win.loadFile(join(__dirname, '../renderer/index.html'));
  return win;
}
