import type { Finding } from '../../../contract/platform-methods';
import { api, callError } from '../api';

// The advisor's findings, read again whenever the fleet or the settings change.

export class AdvisorState {
  #findings = $state.raw<Finding[]>([]);
  #error = $state<string | null>(null);
  #loaded = $state(false);
  readonly counts = $derived({
    error: this.#findings.filter((f) => f.severity === 'error').length,
    warning: this.#findings.filter((f) => f.severity === 'warning').length,
    info: this.#findings.filter((f) => f.severity === 'info').length,
  });

  get findings() {
    return this.#findings;
  }
  get error() {
    return this.#error;
  }
  get loaded() {
    return this.#loaded;
  }

  /** Starts listening; returns the function that stops. */
  start(): () => void {
    void this.refresh();
    return api.on('fleet:changed', () => void this.refresh());
  }

  async refresh(): Promise<void> {
    try {
      this.#findings = await api.call('platform:advise', {});
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    } finally {
      this.#loaded = true;
    }
  }
}
