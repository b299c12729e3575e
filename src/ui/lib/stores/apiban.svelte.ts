import type { ApibanStatus } from '../../../contract/apiban-methods';
import type { EventPayload } from '../../../contract/events';
import { api, callError } from '../api';

type Progress = EventPayload<'apiban:sync-progress'>;
type Row = { ip: string; firstSeen: number; lastSeen: number };

/** The APIBAN page's state: status, the live sync progress, and one page of the list. */
export class ApibanView {
  #status = $state<ApibanStatus | null>(null);
  #progress = $state<Progress | null>(null);
  #rows = $state.raw<Row[]>([]);
  #total = $state(0);
  #error = $state<string | null>(null);
  search = $state('');

  get status() {
    return this.#status;
  }
  get progress() {
    return this.#progress;
  }
  get rows() {
    return this.#rows;
  }
  get total() {
    return this.#total;
  }
  get error() {
    return this.#error;
  }

  /** Subscribes to the host's events; returns the unsubscribe for the page's teardown. */
  start(): () => void {
    void this.refresh();
    const offProgress = api.on('apiban:sync-progress', (p) => (this.#progress = p));
    const offChanged = api.on('apiban:changed', () => void this.refresh());
    return () => {
      offProgress();
      offChanged();
    };
  }

  async refresh(): Promise<void> {
    try {
      this.#status = await api.call('apiban:status', {});
      const page = await api.call('apiban:list', { search: this.search, limit: 500, offset: 0 });
      this.#rows = page.rows;
      this.#total = page.total;
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    }
  }
}
