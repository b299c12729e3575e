import { errorMessage } from '../../domain/error-message';
// Runs one action across many servers: a canary alone first, then the rest with at most
// `concurrency` at once. Scheduling only: what "run" means (an SSH command, a fake in tests) is
// the caller's, so the rules below are tested without a network.

export type TargetState = 'queued' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface RunOutcome {
  ok: boolean;
  code: number | null;
  output: string;
}

export interface FanOutProgress {
  total: number;
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
  running: number;
  /** Not finished yet: queued or running. */
  remaining: number;
}

export type StopReason = 'canary-failed' | 'stop-on-failure' | 'cancelled';

export type FanOutEvent<T> =
  | { type: 'queued' | 'running'; index: number; target: T; progress: FanOutProgress }
  | { type: 'output'; index: number; target: T; chunk: string }
  | {
      type: 'done' | 'failed' | 'cancelled';
      index: number;
      target: T;
      outcome: RunOutcome | null;
      error: string | null;
      progress: FanOutProgress;
    }
  | { type: 'skipped'; index: number; target: T; reason: StopReason; progress: FanOutProgress };

export interface TargetResult<T> {
  target: T;
  state: TargetState;
  outcome: RunOutcome | null;
  /** Why it failed when `run` threw instead of returning an outcome. */
  error: string | null;
  skippedBecause: StopReason | null;
}

export interface FanOutResult<T> {
  results: TargetResult<T>[];
  progress: FanOutProgress;
  stoppedBy: StopReason | null;
}

export interface FanOutOptions<T> {
  targets: readonly T[];
  /** Most runs at once; 10 by default. */
  concurrency?: number;
  /** Run the first target alone and start the rest only if it succeeds. */
  canary?: boolean;
  /** After a failure, start no more (running ones finish); the rest are skipped. */
  stopOnFailure?: boolean;
  /** Aborting cancels running runs (through the signal they get) and skips the rest. */
  signal?: AbortSignal;
  run(target: T, signal: AbortSignal, output: (chunk: string) => void): Promise<RunOutcome>;
  onEvent?(event: FanOutEvent<T>): void;
}

export const DEFAULT_CONCURRENCY = 10;

export async function runFanOut<T>(options: FanOutOptions<T>): Promise<FanOutResult<T>> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a whole number of at least 1.');
  const targets = [...options.targets];
  const results: TargetResult<T>[] = targets.map((target) => ({
    target,
    state: 'queued',
    outcome: null,
    error: null,
    skippedBecause: null,
  }));
  const inner = new AbortController();
  let stoppedBy: StopReason | null = null;

  const progress = (): FanOutProgress => {
    const count = (state: TargetState): number => results.filter((r) => r.state === state).length;
    const queued = count('queued');
    const running = count('running');
    return {
      total: results.length,
      done: count('done'),
      failed: count('failed'),
      skipped: count('skipped'),
      cancelled: count('cancelled'),
      running,
      remaining: queued + running,
    };
  };
  const emit = (event: FanOutEvent<T>): void => {
    // A throwing listener (a closed UI window) must not wreck the run of forty servers.
    try {
      options.onEvent?.(event);
    } catch {
      /* the listener's problem, not the fleet's */
    }
  };

  const onAbort = (): void => {
    stoppedBy ??= 'cancelled';
    inner.abort();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  for (const [index, target] of targets.entries()) emit({ type: 'queued', index, target, progress: progress() });

  const runOne = async (index: number): Promise<void> => {
    const result = results[index];
    if (!result) return;
    result.state = 'running';
    emit({ type: 'running', index, target: result.target, progress: progress() });
    const output = (chunk: string): void => emit({ type: 'output', index, target: result.target, chunk });
    try {
      const outcome = await options.run(result.target, inner.signal, output);
      result.outcome = outcome;
      result.state = outcome.ok ? 'done' : inner.signal.aborted ? 'cancelled' : 'failed';
    } catch (err) {
      result.error = errorMessage(err);
      result.state = inner.signal.aborted ? 'cancelled' : 'failed';
    }
    const type = result.state === 'done' ? 'done' : result.state === 'cancelled' ? 'cancelled' : 'failed';
    if (type === 'failed' && options.stopOnFailure) stoppedBy ??= 'stop-on-failure';
    emit({ type, index, target: result.target, outcome: result.outcome, error: result.error, progress: progress() });
  };

  let next = 0;
  if (options.canary && targets.length > 0 && stoppedBy === null) {
    next = 1;
    await runOne(0);
    if (results[0]?.state !== 'done') stoppedBy ??= 'canary-failed';
  }

  const worker = async (): Promise<void> => {
    while (stoppedBy === null && next < targets.length) await runOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length - next) }, worker));

  options.signal?.removeEventListener('abort', onAbort);
  for (const [index, result] of results.entries()) {
    if (result.state !== 'queued') continue;
    result.state = 'skipped';
    result.skippedBecause = stoppedBy ?? 'cancelled';
    emit({ type: 'skipped', index, target: result.target, reason: result.skippedBecause, progress: progress() });
  }
  return { results, progress: progress(), stoppedBy };
}
