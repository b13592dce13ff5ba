// The tray: applies the tray model (core/tray-model) and touches the tray only
// when the model changed.
import { app, Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { trayChanged, trayModel, type TrayModel } from '../core/app/tray-model';
import type { Monitor } from '../core/engine/monitor';

export interface TrayActions {
  showWindow(): void;
  showEndpoint(id: string): void;
  exportLog(): void;
  openLog(): void;
  quit(): void;
}

const iconDir = () => (app.isPackaged ? join(process.resourcesPath, 'tray') : join(__dirname, '../../resources/tray'));
const icon = (state: TrayModel['state']) =>
  nativeImage.createFromPath(join(iconDir(), process.platform === 'darwin' ? `${state}Template.png` : `${state}.png`));

export function startTray(monitor: Monitor, actions: TrayActions): () => void {
  const tray = new Tray(icon('idle'));
  let shown: TrayModel | null = null;
  const apply = () => {
    const model = trayModel(monitor.ids().map((id) => ({ status: monitor.status(id), alerts: monitor.config(id).alerts })), monitor.now());
    if (!trayChanged(shown, model)) return;
    if (shown?.state !== model.state) tray.setImage(icon(model.state));
    tray.setToolTip(model.tooltip);
    const items: MenuItemConstructorOptions[] = [
      { label: model.summary, enabled: false },
      { type: 'separator' },
      ...model.items.map((i): MenuItemConstructorOptions => ({ label: i.label, click: () => actions.showEndpoint(i.id) })),
      { type: 'separator' },
      { label: 'Pause all', click: () => monitor.pauseAll() },
      { label: 'Resume all', click: () => monitor.resumeAll() },
      { label: 'Show window', click: actions.showWindow },
      { label: 'Export session log…', click: actions.exportLog },
      { label: 'Open a past session log…', click: actions.openLog },
      { type: 'separator' },
      { label: 'Quit', click: actions.quit },
    ];
    tray.setContextMenu(Menu.buildFromTemplate(items));
    shown = model;
  };
  apply();
  // Retry countdowns and grace periods move with time, not only with events.
  const timer = setInterval(apply, 1000);
  // A state change shows within 100 ms, but a burst of events (every heartbeat of every endpoint) costs one apply, not one each.
  let soon: NodeJS.Timeout | null = null;
  const off = monitor.on(() => {
    soon ??= setTimeout(() => {
      soon = null;
      apply();
    }, 100);
  });
  return () => {
    clearInterval(timer);
    if (soon) clearTimeout(soon);
    off();
    tray.destroy();
  };
}
