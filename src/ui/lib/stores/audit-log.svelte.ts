import type { AuditEntry, AuditRetention } from '../../../contract/audit-methods';
import { api, callError } from '../api';

// The audit log as the Audit screen shows it: its filters, the lines found, and a live refresh
// when the host records a line (debounced: a burst of failed sign-ins reads the log once).

const REFRESH_MS = 300;

export class AuditLogView {
  account = $state('');
  kind = $state('');
  /** Hours back from now; 0 for all time. */
  sinceHours = $state(24);
  #entries = $state.raw<AuditEntry[]>([]);
  #total = $state(0);
  #kinds = $state.raw<string[]>([]);
  #retention = $state.raw<AuditRetention | null>(null);
  #error = $state<string | null>(null);
  #loading = $state(false);
  #loaded = $state(false);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #off: () => void;

  constructor() {
    this.#off = api.on('audit:recorded', () => {
      if (this.#timer !== null) return;
      this.#timer = setTimeout(() => {
        this.#timer = null;
        void this.load();
      }, REFRESH_MS);
    });
  }

  get entries() {
    return this.#entries;
  }
  get total() {
    return this.#total;
  }
  get kinds() {
    return this.#kinds;
  }
  get retention() {
    return this.#retention;
  }
  get error() {
    return this.#error;
  }
  get loading() {
    return this.#loading;
  }
  /** False until the first answer: the empty-state text waits for it. */
  get loaded() {
    return this.#loaded;
  }
  get filtered(): boolean {
    return this.account.trim() !== '' || this.kind !== '' || this.sinceHours > 0;
  }

  filter() {
    return {
      ...(this.account.trim() ? { account: this.account.trim() } : {}),
      ...(this.kind ? { kind: this.kind } : {}),
      ...(this.sinceHours > 0 ? { since: Date.now() - this.sinceHours * 3600_000 } : {}),
      limit: 1000,
    };
  }

  async load(): Promise<void> {
    this.#loading = true;
    try {
      const listed = await api.call('audit:list', this.filter());
      this.#entries = listed.entries;
      this.#total = listed.total;
      this.#kinds = listed.kinds;
      this.#retention = listed.retention;
      this.#error = null;
    } catch (err) {
      this.#error = callError(err).message;
    } finally {
      this.#loading = false;
      this.#loaded = true;
    }
  }

  exportAs(format: 'json' | 'csv'): Promise<{ text: string; fileName: string }> {
    return api.call('audit:export', { format, filter: { ...this.filter(), limit: 5000 } });
  }

  dispose(): void {
    this.#off();
    if (this.#timer !== null) clearTimeout(this.#timer);
  }
}
