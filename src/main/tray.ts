// The tray: applies the tray model (core/app/tray-model) and touches the tray only
// when the model changed.
import { app, Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { sessionTrayModel, trayChanged, type TrayModel } from '../core/app/tray-model';
import type { Session } from '../core/app/session';

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

export function startTray(session: Session, actions: TrayActions): () => void {
  const { monitor } = session;
  const tray = new Tray(icon('idle'));
  let shown: TrayModel | null = null;
  const apply = () => {
    const model = sessionTrayModel(session);
    if (!trayChanged(shown, model)) return;
    if (shown?.state !== model.state) tray.setImage(icon(model.state));
    tray.setToolTip(model.tooltip);
    const items: MenuItemConstructorOptions[] = [
      { label: model.summary, enabled: false },
      ...model.groups.map((g): MenuItemConstructorOptions => ({ label: g.label, enabled: false })),
      { type: 'separator' },
      ...model.items.map((i): MenuItemConstructorOptions => ({ label: i.label, click: () => actions.showEndpoint(i.id) })),
      ...(model.more ? [{ label: model.more, click: actions.showWindow }] : []),
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
  // Answers show with the next second's apply (RTT over a threshold is a health); they need no event here.
  const off = monitor.on(
    () => {
      soon ??= setTimeout(() => {
        soon = null;
        apply();
      }, 100);
    },
    { rtt: false },
  );
  return () => {
    clearInterval(timer);
    if (soon) clearTimeout(soon);
    off();
    tray.destroy();
  };
}
