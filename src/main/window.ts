// The main window, locked down: isolated, sandboxed, no Node, no navigation,
// no new windows. Its bounds are remembered in the app's data folder.
import { app, BrowserWindow, screen } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BOUNDS, restoreBounds } from '../core/app/window-state';

const boundsFile = () => join(app.getPath('userData'), 'window.json');

function savedBounds() {
  try {
    return restoreBounds(JSON.parse(readFileSync(boundsFile(), 'utf8')), screen.getAllDisplays().map((d) => d.workArea));
  } catch {
    return null;
  }
}

export function createMainWindow(title = 'wsmon'): BrowserWindow {
  const win = new BrowserWindow({
    ...DEFAULT_BOUNDS,
    ...savedBounds(),
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
  win.on('close', () => {
    try {
      writeFileSync(boundsFile(), JSON.stringify(win.getNormalBounds()));
    } catch {
      /* not worth failing a close over */
    }
  });
  void win.loadFile(join(__dirname, '../renderer/index.html'));
  return win;
}
