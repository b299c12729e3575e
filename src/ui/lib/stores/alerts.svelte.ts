// The alert state every screen shares: the counts for the top bar and what holds each server's
// notifications (maintenance, a silence) for the fleet table, the server page, the overview and
// the hover card. Read once, then again whenever the host says alerts or holds changed, another
// fleet is on show (a snapshot), or the link comes back.
import type { AlertCounts, Hold } from '../../../contract/alerts';
import { api } from '../api';
import { holdActive } from '../alerts/words';
import { connectionState } from '../transport';
import { clock } from './clock.svelte';
import { showAlertNotification } from '../alerts/notify';

const NONE: AlertCounts = { firing: 0, acknowledged: 0, held: 0, critical: 0 };

class AlertsStore {
  #counts = $state.raw<AlertCounts>(NONE);
  #holds = $state.raw<Readonly<Record<string, Hold>>>({});
  #loaded = $state(false);
  #started = false;

  get counts(): AlertCounts {
    return this.#counts;
  }
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Servers held right now, by id (a hold past its end is left out before the host says so). */
  readonly holds = $derived.by(() => {
    const now = clock.now;
    return new Map(Object.entries(this.#holds).filter(([, h]) => holdActive(h, now)));
  });

  readonly heldCount = $derived.by(() => {
    let maintenance = 0;
    let silence = 0;
    for (const h of this.holds.values()) {
      if (h.kind === 'maintenance') maintenance += 1;
      else silence += 1;
    }
    return { maintenance, silence };
  });

  holdOf(serverId: string): Hold | undefined {
    return this.holds.get(serverId);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    api.on('alerts:changed', ({ counts, what }) => {
      this.#counts = counts;
      if (what.includes('holds') || what.includes('alerts')) void this.#readHolds();
    });
    api.on('alerts:notify', (push) => showAlertNotification(push));
    api.on('app:changed', () => void this.reload());
    // Maintenance follows the fleet (a server deleted mid-run): holds are keyed by server.
    api.on('fleet:changed', ({ entity }) => {
      if (entity === 'servers' || entity === 'all') void this.#readHolds();
    });
    let wasClosed = false;
    connectionState.subscribe((state) => {
      if (state === 'closed') wasClosed = true;
      else if (state === 'open' && wasClosed) {
        wasClosed = false;
        void this.reload();
      }
    });
    void this.reload();
  }

  async reload(): Promise<void> {
    await Promise.all([this.#readCounts(), this.#readHolds()]);
    this.#loaded = true;
  }

  async #readCounts(): Promise<void> {
    try {
      this.#counts = await api.call('alerts:counts', {});
    } catch {
      // A host without the alerts area (an old snapshot reader): nothing to count.
      this.#counts = NONE;
    }
  }

  async #readHolds(): Promise<void> {
    try {
      this.#holds = await api.call('alerts:holds', {});
    } catch {
      this.#holds = {};
    }
  }
}

export const alerts = new AlertsStore();
