// Electron main: lifecycle and wiring only. Every decision lives in src/core
// (core/app/session holds the engine, persistence, log and alert settings).
import { app, dialog, ipcMain, net, powerMonitor, session, type BrowserWindow } from 'electron';
import { basename } from 'node:path';
import { createReadOnlyApiHandler, type ApiHandler } from '../core/app/api-handler';
import { Session } from '../core/app/session';
import { boundHeapGrowth } from '../core/app/heap-growth';
import { exportLog } from '../core/log/export';
import { writeStreamGated } from '../core/files/gate';
import { EXPORT_FORMAT_INFO, EXPORT_FORMATS, formatOfPath, type ExportFormat } from '../shared/export-format';
import { LogReplay } from '../core/log/replay';
import { UpdateBatcher } from '../core/app/updates';
import { ClientView } from '../core/app/client-view';
import { DemoLab } from '../lab/demo';
import { push, registerIpc } from './ipc';
import { platformCipher } from './secrets';
import { showNotice } from './notifications';
import { startTray } from './tray';
import { createMainWindow } from './window';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  boundHeapGrowth();
  const demo = new DemoLab();
  let win: BrowserWindow | null = null;
  /** Past session logs open read-only, each in its own window with its own API. */
  const pastWindows = new Map<BrowserWindow, ApiHandler>();
  let quitting = false;

  app.on('second-instance', () => show());
  app.on('before-quit', () => {
    quitting = true;
  });

  let appSession: Session | null = null;
  /** Everything started at ready that must stop before the process can end (the tray's redraw timer, the online poll). */
  const stops: (() => void)[] = [];
  let liveHandler: ApiHandler | null = null;
  /** What the main window shows, kept on this side (core/app/client-view.ts). */
  let liveView: ClientView | null = null;

  function show(focus?: string): void {
    if (!appSession) return;
    if (!win || win.isDestroyed()) {
      win = createMainWindow();
      win.on('close', (e) => {
        if (appSession?.settings.keepInTray && !quitting) {
          e.preventDefault();
          win?.hide();
        }
      });
      // Out of sight, its list is not ordered again; back in sight, it is sent its page as it is now.
      const away = () => liveView?.hide();
      const back = () => {
        const update = liveView?.show();
        if (update) push(win, { update });
      };
      win.on('hide', away).on('minimize', away).on('show', back).on('restore', back);
    }
    win.show();
    if (win.isMinimized()) win.restore();
    win.focus();
    if (focus) push(win, { command: { kind: 'focus', endpoint: focus } });
  }

  async function openPastLog(): Promise<void> {
    const r = await dialog.showOpenDialog({
      title: 'Open a session log',
      properties: ['openFile'],
      filters: [{ name: 'Session logs', extensions: ['jsonl'] }],
    });
    if (r.canceled || !r.filePaths[0]) return;
    try {
      const replay = await LogReplay.load(r.filePaths[0]);
      const w = createMainWindow(`wsmon — ${basename(r.filePaths[0])} (read-only)`);
      pastWindows.set(w, createReadOnlyApiHandler(replay));
      w.on('closed', () => pastWindows.delete(w));
    } catch (e) {
      dialog.showErrorBox('wsmon', `Cannot read the log ${r.filePaths[0]}: ${(e as Error).message}`);
    }
  }

  async function exportTo(format: ExportFormat | null, progress?: (f: number) => void): Promise<{ path?: string; events?: number }> {
    const s = appSession!;
    const r = await dialog.showSaveDialog(
      format
        ? { defaultPath: `wsmon-session.${format}` }
        : { defaultPath: 'wsmon-session.html', filters: EXPORT_FORMATS.map((f) => ({ name: EXPORT_FORMAT_INFO[f].label, extensions: [f] })) },
    );
    if (r.canceled || !r.filePath) return {};
    s.flushLog();
    const chosen = format ?? formatOfPath(r.filePath);
    const out = writeStreamGated(r.filePath, 'export');
    const done = await exportLog(s.logPath!, out, { format: chosen, progress });
    out.end();
    return { path: r.filePath, events: done.events };
  }

  app.whenReady().then(async () => {
    // The window may write to the clipboard (Copy in the frame inspector) and nothing else: no camera, no reading the clipboard.
    const allowed = (permission: string) => permission === 'clipboard-sanitized-write';
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(allowed(permission)));
    session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowed(permission));
    const cipher = platformCipher();
    const s = new Session({
      dataDir: app.getPath('userData'),
      cipher,
      applies: ['keepInTray', 'logRtt', 'logKeepDays', 'logKeepMiB', 'historyDays', 'notifications', 'muted', 'channels'],
      demo: () => demo.endpoints(),
    });
    appSession = s;
    await s.start();
    const noKeyring = cipher ? null : 'No keyring is available, so header values and URL secrets are saved unencrypted (readable only by your user).';
    const view = (liveView = new ClientView(s.records));
    liveHandler = s.handler({
      view,
      notice: () => s.notice(noKeyring),
      exportLog: (format) => exportTo(format, (fraction) => push(win, { command: { kind: 'export-progress', fraction } })),
    });
    registerIpc(ipcMain, () => [
      ...(win && !win.isDestroyed() && liveHandler ? [{ window: win, handle: liveHandler }] : []),
      ...[...pastWindows].map(([window, handle]) => ({ window, handle })),
    ]);
    const batcher = new UpdateBatcher(s.monitor, (batch) => {
      const update = view.update(batch);
      if (update) push(win, { update });
    });
    stops.push(() => batcher.stop());
    stops.push(
      startTray(s, {
        showWindow: () => show(),
        showEndpoint: (id) => show(id),
        exportLog: () => void exportTo(null),
        openLog: () => void openPastLog(),
        quit: () => app.quit(),
      }),
    );
    s.onNotice((n) => showNotice(n, () => show(n.endpoint)));
    s.onHistoryProgress((command) => push(win, { command }));
    s.onChannels((channels) => push(win, { command: { kind: 'channels', channels } }));
    powerMonitor.on('suspend', () => s.monitor.systemSleep());
    powerMonitor.on('resume', () => s.monitor.systemWake());
    let online = net.isOnline();
    const onlinePoll = setInterval(() => {
      if (net.isOnline() === online) return;
      online = !online;
      if (online) s.monitor.networkOnline();
      else s.monitor.networkOffline();
    }, 2000);
    stops.push(() => clearInterval(onlinePoll));
    show();
    app.on('activate', () => show());
  });

  app.on('will-quit', (e) => {
    e.preventDefault();
    for (const stop of stops.splice(0)) stop();
    void (appSession?.stop() ?? Promise.resolve()).then(() => demo.stop()).finally(() => app.exit(0));
  });
}
