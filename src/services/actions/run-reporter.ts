import type { RunProgress, RunState, RunStatus } from '../../contract/actions-methods';
import type { EventPayload } from '../../contract/events';
import type { ActionRunsRepo } from '../store/action-runs-repo';

// One running action's bookkeeping: every output chunk is kept whole for the audit log, and the
// UI hears about it in batches (one `actions:run-update` per `throttleMs` at most), so a server
// printing thousands of lines a second cannot flood the window. Output also reaches the store
// every `saveEveryMs` while a server runs: if the console dies mid-run, what was printed is kept.

export type RunUpdate = EventPayload<'actions:run-update'>;

export interface ReporterOptions {
  runId: string;
  total: number;
  repo: ActionRunsRepo;
  clock: () => number;
  emit(update: RunUpdate): void;
  throttleMs?: number;
  saveEveryMs?: number;
}

interface Slot {
  state: RunState;
  output: string;
  savedLength: number;
  exitCode: number | null;
  error: string | null;
}

export function createRunReporter(options: ReporterOptions) {
  const throttleMs = options.throttleMs ?? 150;
  const saveEveryMs = options.saveEveryMs ?? 2_000;
  const slots: Slot[] = Array.from({ length: options.total }, () => ({
    state: 'queued',
    output: '',
    savedLength: 0,
    exitCode: null,
    error: null,
  }));
  const changed = new Set<number>();
  let pendingOutput: { position: number; chunk: string }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let lastSave = options.clock();
  let status: RunStatus = 'running';
  let endedAt: number | null = null;

  const progress = (): RunProgress => {
    const count = (s: RunState) => slots.filter((slot) => slot.state === s).length;
    const queued = count('queued');
    const running = count('running');
    return {
      total: slots.length,
      done: count('done'),
      failed: count('failed'),
      skipped: count('skipped'),
      cancelled: count('cancelled'),
      running,
      remaining: queued + running,
    };
  };

  const saveRunningOutput = (): void => {
    lastSave = options.clock();
    slots.forEach((slot, position) => {
      if (slot.state !== 'running' || slot.output.length === slot.savedLength) return;
      options.repo.saveOutput(options.runId, position, slot.output);
      slot.savedLength = slot.output.length;
    });
  };

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (options.clock() - lastSave >= saveEveryMs) saveRunningOutput();
    const servers = [...changed]
      .sort((a, b) => a - b)
      .map((position) => {
        const slot = slots[position] as Slot;
        return { position, state: slot.state, exitCode: slot.exitCode, error: slot.error };
      });
    changed.clear();
    const output = pendingOutput;
    pendingOutput = [];
    options.emit({ runId: options.runId, status, progress: progress(), endedAt, servers, output });
  };
  const schedule = (): void => {
    timer ??= setTimeout(flush, throttleMs);
  };

  return {
    progress,
    output(position: number): string {
      return slots[position]?.output ?? '';
    },
    started(position: number): void {
      const slot = slots[position];
      if (!slot) return;
      slot.state = 'running';
      options.repo.startResult(options.runId, position, options.clock());
      changed.add(position);
      schedule();
    },
    chunk(position: number, chunk: string): void {
      const slot = slots[position];
      if (!slot || chunk === '') return;
      slot.output += chunk;
      const last = pendingOutput[pendingOutput.length - 1];
      if (last && last.position === position) last.chunk += chunk;
      else pendingOutput.push({ position, chunk });
      schedule();
    },
    ended(position: number, state: RunState, exitCode: number | null, error: string | null): void {
      const slot = slots[position];
      if (!slot) return;
      slot.state = state;
      slot.exitCode = exitCode;
      slot.error = error;
      const ranAt = state === 'skipped' ? null : options.clock();
      options.repo.endResult(options.runId, position, { state, exitCode, error, at: ranAt, output: slot.output });
      slot.savedLength = slot.output.length;
      changed.add(position);
      schedule();
    },
    /** The run is over: one last update, sent at once. */
    finished(final: RunStatus, stoppedBy: string | null): void {
      status = final;
      endedAt = options.clock();
      options.repo.finish(options.runId, final, endedAt, stoppedBy);
      flush();
    },
  };
}

export type RunReporter = ReturnType<typeof createRunReporter>;
