import type { ActionRunSummary, RunProgress, RunState, RunStatus } from '../../../contract/actions-methods';
import type { EventPayload } from '../../../contract/events';
import type { InputOf } from '../../../contract/methods';
import { api } from '../api';

// One action run as the confirm dialog shows it while it runs: a row per server with its state,
// the overall progress and each server's output. Output is kept to its last VIEW_LIMIT characters
// per server here; the audit log keeps it whole.

export const VIEW_LIMIT = 200_000;

export interface RunRow {
  position: number;
  id: string;
  alias: string;
  ip: string;
  state: RunState;
  exitCode: number | null;
  error: string | null;
}

export class ActionRunView {
  readonly runId: string;
  #rows = $state.raw<RunRow[]>([]);
  #output = $state<Record<number, string>>({});
  #progress = $state.raw<RunProgress>({ total: 0, done: 0, failed: 0, skipped: 0, cancelled: 0, running: 0, remaining: 0 });
  #status = $state<RunStatus>('running');
  #selected = $state(0);
  #off: () => void;

  constructor(summary: ActionRunSummary) {
    this.runId = summary.id;
    this.#rows = summary.servers.map((s, position) => ({
      position,
      id: s.id,
      alias: s.alias,
      ip: s.ip,
      state: s.state,
      exitCode: null,
      error: null,
    }));
    this.#progress = summary.progress;
    this.#status = summary.status;
    this.#off = api.on('actions:run-update', (update) => {
      if (update.runId === this.runId) this.#apply(update);
    });
  }

  /**
   * Starts a run and follows it from its first update. The call's answer and the run's updates
   * travel apart (a reply and a pushed event), so a run that ends within milliseconds can send
   * its last update before the answer arrives: updates are listened for before the call and those
   * of this run that came early are applied once the answer names it.
   */
  static async start(request: InputOf<'actions:run'>): Promise<ActionRunView> {
    const early: EventPayload<'actions:run-update'>[] = [];
    const off = api.on('actions:run-update', (update) => early.push(update));
    try {
      const view = new ActionRunView(await api.call('actions:run', request));
      for (const update of early) if (update.runId === view.runId) view.#apply(update);
      return view;
    } finally {
      off();
    }
  }

  get rows(): RunRow[] {
    return this.#rows;
  }
  get progress(): RunProgress {
    return this.#progress;
  }
  get status(): RunStatus {
    return this.#status;
  }
  get finished(): boolean {
    return this.#status !== 'running';
  }
  get selected(): number {
    return this.#selected;
  }
  set selected(position: number) {
    this.#selected = position;
  }
  output(position: number): string {
    return this.#output[position] ?? '';
  }

  #apply(update: EventPayload<'actions:run-update'>): void {
    if (update.servers.length > 0) {
      const next = [...this.#rows];
      for (const s of update.servers) {
        const row = next[s.position];
        if (row) next[s.position] = { ...row, state: s.state, exitCode: s.exitCode, error: s.error };
        // Follow the action: show the server that just started, unless the user picked one.
        if (s.state === 'running' && !this.#pinned) this.#selected = s.position;
      }
      this.#rows = next;
    }
    for (const { position, chunk } of update.output) {
      const text = (this.#output[position] ?? '') + chunk;
      this.#output[position] = text.length > VIEW_LIMIT ? text.slice(-VIEW_LIMIT) : text;
    }
    this.#progress = update.progress;
    this.#status = update.status;
  }

  #pinned = false;
  /** The user chose a server: stop following the newest one. */
  pick(position: number): void {
    this.#pinned = true;
    this.#selected = position;
  }

  async cancel(): Promise<void> {
    await api.call('actions:cancel', { runId: this.runId });
  }

  dispose(): void {
    this.#off();
  }
}
