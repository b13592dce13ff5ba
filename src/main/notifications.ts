// A desktop notification for what core/app/alerts decided to say (core/app/session
// has already applied the mute settings and rate limits).
import { Notification } from 'electron';
import type { Notice } from '../shared/api';

export function showNotice(n: Notice, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const note = new Notification({ title: n.title, body: n.body, silent: n.kind === 'recovered' });
  note.on('click', onClick);
  note.show();
}
