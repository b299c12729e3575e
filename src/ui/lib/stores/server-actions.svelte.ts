// Server actions' shared state in the console: resizes waiting for their 15 minutes ("pending,
// active at HH:MM"), read once and again whenever the fleet changes; and the words and links the
// Actions menu shows for an action the selection cannot run.
import type { ActionFix, PendingResize } from '../../../contract/action-settings-methods';
import { api } from '../api';
import { clock } from './clock.svelte';

const shortTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "14:32" in the user's zone: when a pending resize is active. */
export function activeAtLabel(at: number): string {
  return shortTime.format(at);
}

/** Where the menu's link for an unavailable action goes. */
export function fixHref(fix: ActionFix): string {
  if (fix.setting === 'fleet-install-command') return '#/settings';
  return fix.serverId === null ? '#/fleet' : `#/servers/${fix.serverId}/config`;
}

/** The element on that page to scroll to and focus: the setting itself, not just its page. */
export function fixTarget(fix: ActionFix): string {
  switch (fix.setting) {
    case 'fleet-install-command':
      return 'fleet-install-command';
    case 'server-install-command':
      return 'server-install-command';
    case 'server-out-of-band':
      return 'out-of-band-power';
  }
}

export function fixLabel(fix: ActionFix): string {
  switch (fix.setting) {
    case 'fleet-install-command':
      return 'Set the install command in Settings';
    case 'server-install-command':
      return "Set the server's install command";
    case 'server-out-of-band':
      return 'Set out-of-band power in Server Config';
  }
}

class PendingResizes {
  #list = $state.raw<PendingResize[]>([]);
  #started = false;

  /** Starts reading; safe to call from every component that shows a resize. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    api.on('fleet:changed', ({ entity }) => {
      if (entity === 'servers' || entity === 'all') void this.refresh();
    });
    api.on('app:changed', () => void this.refresh());
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const { resizes } = await api.call('actions:pending-resizes', {});
      this.#list = resizes;
    } catch {
      // The link is down or a snapshot older than resizes is shown: nothing pending to show.
      this.#list = [];
    }
  }

  /** Still pending by the console's clock (a snapshot's: when it was taken). */
  readonly pending = $derived(this.#list.filter((r) => r.activeAt > clock.now));

  of(serverId: string): PendingResize | undefined {
    return this.pending.find((r) => r.serverId === serverId);
  }
}

export const resizes = new PendingResizes();
