// Desktop notifications for what core/alerts decides to say.
import { Notification } from 'electron';
import { AlertCenter } from '../core/alerts';
import type { Monitor } from '../core/monitor';

export function startNotifications(monitor: Monitor, onClick: (id: string) => void): AlertCenter {
  return new AlertCenter(monitor, (n) => {
    if (!Notification.isSupported()) return;
    const note = new Notification({ title: n.title, body: n.body, silent: n.kind === 'recovered' });
    note.on('click', () => onClick(n.endpoint));
    note.show();
  });
}
