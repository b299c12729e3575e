import type { LoggedAction, ActionRunDetail, ActionRunSummary, RunStatus } from '../../../contract/actions-methods';
import { api, callError } from '../api';

// The audit log as a page shows it: the filters, the runs found, and one run opened with its
// outputs (each cut to its last VIEW_OUTPUT characters; the export has them whole).

export const VIEW_OUTPUT = 100_000;

export class ActionsLog {
  text = $state('');
  action = $state<LoggedAction | ''>('');
  status = $state<RunStatus | ''>('');
  /** Hours back from now; 0 for all time. */
  sinceHours = $state(0);
  readonly serverId: string | null;
  #runs = $state.raw<ActionRunSummary[]>([]);
  #total = $state(0);
  #error = $state<string | null>(null);
  #loading = $state(false);
  #open = $state.raw<ActionRunDetail | null>(null);
  #off: () => void;

  constructor(serverId: string | null = null) {
    this.serverId = serverId;
    // A run's last update means the log changed: read it again (throttled by the host already).
    this.#off = api.on('actions:run-update', (u) => {
      if (u.endedAt !== null || !this.#runs.some((r) => r.id === u.runId)) void this.load();
      if (this.#open?.id === u.runId && u.endedAt !== null) void this.openRun(u.runId);
    });
  }

  get runs() {
    return this.#runs;
  }
  get total() {
    return this.#total;
  }
  get error() {
    return this.#error;
  }
  get loading() {
    return this.#loading;
  }
  get opened() {
    return this.#open;
  }

  filter() {
    return {
      ...(this.text.trim() ? { text: this.text.trim() } : {}),
      ...(this.action ? { action: this.action } : {}),
      ...(this.status ? { status: this.status } : {}),
      ...(this.serverId ? { serverId: this.serverId } : {}),
      ...(this.sinceHours > 0 ? { from: Date.now() - this.sinceHours * 3600_000 } : {}),
      limit: 500,
    };
  }

  async load(): Promise<void> {
    this.#loading = true;
    try {
      const { runs, total } = await api.call('actions:list-runs', this.filter());
      this.#runs = runs;
      this.#total = total;
      this.#error = null;
    } catch (err) {
      this.#error = callError(err).message;
    } finally {
      this.#loading = false;
    }
  }

  async openRun(id: string | null): Promise<void> {
    if (id === null) {
      this.#open = null;
      return;
    }
    try {
      this.#open = await api.call('actions:get-run', { id, outputLimit: VIEW_OUTPUT });
    } catch (err) {
      this.#error = callError(err).message;
    }
  }

  async exportRuns(format: 'json' | 'csv'): Promise<{ text: string; fileName: string }> {
    return api.call('actions:export-runs', { format, filter: { ...this.filter(), limit: 1000 } });
  }

  dispose(): void {
    this.#off();
  }
}
