// The Silences & maintenance tab's state: silences (active, or every one with "show ended"),
// the maintenance windows the console's actions set, and ending a silence early.
import type { Maintenance, Silence } from '../../../contract/alerts';
import { api, callError } from '../api';

export class SilencesView {
  showEnded = $state(false);
  #silences = $state.raw<Silence[]>([]);
  #maintenance = $state.raw<Maintenance[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);

  get silences() {
    return this.#silences;
  }
  get maintenance() {
    return this.#maintenance;
  }
  get loaded() {
    return this.#loaded;
  }
  get error() {
    return this.#error;
  }

  start(): () => void {
    return api.on('alerts:changed', ({ what }) => {
      if (what.includes('holds')) void this.load();
    });
  }

  async load(): Promise<void> {
    try {
      const [silences, maintenance] = await Promise.all([
        api.call('alerts:list-silences', { includeEnded: this.showEnded }),
        api.call('alerts:list-maintenance', { includeEnded: this.showEnded }),
      ]);
      this.#silences = silences;
      this.#maintenance = maintenance;
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    } finally {
      this.#loaded = true;
    }
  }

  async end(id: number): Promise<string | null> {
    try {
      await api.call('alerts:end-silence', { id });
      await this.load();
      return null;
    } catch (e) {
      return callError(e).message;
    }
  }
}
