// Electron main: lifecycle and wiring only. Every decision lives in src/core.
import { app, dialog, ipcMain, net, powerMonitor, session, type BrowserWindow } from 'electron';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createApiHandler } from '../core/api-handler';
import { loadConfig, saveConfig } from '../core/config-store';
import { exportLog, type ExportFormat } from '../core/export';
import { Monitor } from '../core/monitor';
import { reconcile } from '../core/reconcile';
import { sealSecrets, type Cipher } from '../core/secrets';
import { SessionLogWriter } from '../core/session-log';
import { UpdateBatcher } from '../core/updates';
import { DemoLab } from '../lab/demo';
import { registerIpc, sendUpdate } from './ipc';
import { platformCipher } from './secrets';
import { startNotifications } from './notifications';
import { startTray } from './tray';
import { createMainWindow } from './window';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const monitor = new Monitor();
  const demo = new DemoLab();
  const data = app.getPath('userData');
  const configPath = join(data, 'endpoints.json');
  const logPath = join(data, 'sessions', `session-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  const log = new SessionLogWriter(logPath);
  let win: BrowserWindow | null = null;
  let quitting = false;
  /** Closing the window keeps monitoring in the tray (the default); Quit quits. */
  const keepInTray = true;

  const show = (focus?: string) => {
    if (!win || win.isDestroyed()) {
      win = createMainWindow();
      win.on('close', (e) => {
        if (keepInTray && !quitting) {
          e.preventDefault();
          win?.hide();
        }
      });
    }
    win.show();
    if (win.isMinimized()) win.restore();
    win.focus();
    if (focus) sendUpdate(win, { nowMono: monitor.now(), endpoints: [], removed: [], events: [], rtt: {}, focus });
  };
  const exportFromTray = async () => {
    const r = await dialog.showSaveDialog({ defaultPath: 'wsmon-session.html', filters: [{ name: 'HTML report', extensions: ['html'] }, { name: 'CSV', extensions: ['csv'] }, { name: 'JSON', extensions: ['json'] }] });
    if (r.canceled || !r.filePath) return;
    log.flush(true);
    const format = r.filePath.endsWith('.csv') ? 'csv' : r.filePath.endsWith('.json') ? 'json' : 'html';
    await exportLog(logPath, createWriteStream(r.filePath, { mode: 0o600 }), { format });
  };

  monitor.on((e) => log.write(e));
  // Endpoints persist: saved atomically whenever the set or a setting changes, secrets sealed.
  let cipher: Cipher | null = null;
  let loaded = false;
  monitor.on((e) => {
    if (!loaded) return;
    if (e.type === 'endpoint-added' || e.type === 'endpoint-updated' || e.type === 'endpoint-removed') {
      saveConfig(configPath, cipher ? sealSecrets(monitor.configs(), cipher) : monitor.configs());
    }
  });

  app.on('second-instance', () => show());
  app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    monitor.start();
    cipher = platformCipher();
    const saved = loadConfig(configPath, { cipher: cipher ?? undefined });
    await reconcile(monitor, saved.endpoints).catch(() => undefined);
    loaded = true;
    const notice = [saved.problem, cipher ? null : 'No keyring is available, so header values and URL secrets are saved unencrypted (readable only by your user).']
      .filter(Boolean)
      .join(' ');
    const exportFromWindow = async (format: ExportFormat) => {
      const r = await dialog.showSaveDialog({ defaultPath: `wsmon-session.${format}` });
      if (r.canceled || !r.filePath) return {};
      log.flush(true);
      const progress = (f: number) => sendUpdate(win, { nowMono: monitor.now(), endpoints: [], removed: [], events: [], rtt: {}, exportProgress: f });
      const out = createWriteStream(r.filePath, { mode: 0o600 });
      const done = await exportLog(logPath, out, { format, progress });
      out.end();
      return { path: r.filePath, events: done.events };
    };
    registerIpc(ipcMain, createApiHandler(monitor, { demo: () => demo.endpoints(), notice: () => notice || null, exportLog: exportFromWindow }), () => win);
    new UpdateBatcher(monitor, (u) => sendUpdate(win, u));
    startTray(monitor, { showWindow: () => show(), showEndpoint: (id) => show(id), exportLog: () => void exportFromTray(), quit: () => app.quit() });
    startNotifications(monitor, (id) => show(id));
    powerMonitor.on('suspend', () => monitor.systemSleep());
    powerMonitor.on('resume', () => monitor.systemWake());
    let online = net.isOnline();
    setInterval(() => {
      if (net.isOnline() === online) return;
      online = !online;
      if (online) monitor.networkOnline();
      else monitor.networkOffline();
    }, 2000).unref();
    show();
    app.on('activate', () => show());
  });

  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (e) => {
    e.preventDefault();
    void monitor
      .stop()
      .then(() => demo.stop())
      .finally(() => {
        log.close();
        app.exit(0);
      });
  });
}
