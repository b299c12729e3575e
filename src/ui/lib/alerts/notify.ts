// The desktop channel's notifications, shown by the page when the user allowed them. The host
// decides what to notify and when (routes, holds, re-notify); the page only shows what it is told,
// so nothing is notified twice (monitoring's status toasts stay toasts).
import type { AlertNotifyPush } from '../../../contract/alerts-methods';
import { router, serverHref } from '../stores/router.svelte';

export type NotificationPermissionState = NotificationPermission | 'unsupported';

export function notificationPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks the browser; resolves with what it answered (browsers may refuse without asking). */
export async function requestNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** Where a click on the notification leads: the one server it is about, else the Alerts page. */
export function notificationTarget(push: Pick<AlertNotifyPush, 'serverId'>): string {
  return push.serverId === null ? '#/alerts' : serverHref(push.serverId);
}

export function showAlertNotification(push: AlertNotifyPush): void {
  // In the desktop app the main process shows them with the system's own notifications.
  if (window.switchyardBridge !== undefined) return;
  if (notificationPermission() !== 'granted') return;
  try {
    const notification = new Notification(push.title, {
      body: push.body,
      // Several open consoles get the same push: one tag per batch lets the system keep one.
      tag: `switchyard-alerts-${push.alertIds.join('-') || push.title}`,
      requireInteraction: push.severity === 'critical',
    });
    notification.onclick = () => {
      window.focus();
      router.go(notificationTarget(push));
      notification.close();
    };
  } catch {
    // Some shells refuse page notifications even when permission says granted; the top bar's
    // count and the Alerts page still show the alert.
  }
}
