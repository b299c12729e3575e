import { Notification, type BrowserWindow } from 'electron';
import type { EventPayload } from '../src/contract/events';
import type { HostApp } from '../src/host/app';

/**
 * The desktop channel in the app: the host's `alerts:notify` shown by the main process with the
 * system's own notifications (the renderer's Web Notification is denied by the window's
 * permission handler). Clicking one brings the window forward on the server it is about.
 */
export function bindNotifications(host: HostApp, window: () => BrowserWindow | null): () => void {
  return host.events.on(
    (event, payload) => {
      if (event !== 'alerts:notify' || !Notification.isSupported()) return;
      const push = payload as EventPayload<'alerts:notify'>;
      const notification = new Notification({
        title: push.title,
        body: push.body,
        urgency: push.severity === 'critical' ? 'critical' : 'normal',
        silent: push.severity === 'resolved' || push.severity === 'info',
      });
      notification.on('click', () => {
        const win = window();
        if (win === null || win.isDestroyed()) return;
        if (win.isMinimized()) win.restore();
        win.show();
        win.focus();
        host.events.emit('app:open', { hash: push.serverId === null ? '#/alerts' : `#/servers/${encodeURIComponent(push.serverId)}` });
      });
      notification.show();
    },
    (event) => event === 'alerts:notify',
  );
}
