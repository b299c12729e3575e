// A ping run: validated target and parameters, the documented argv, each reply parsed and
// handed on as it arrives, and the whole output kept for the history.
import { createPingStream, type PingReply, type PingResult, type PingSummary } from '../../domain/ping';
import { PingParams, pingArgv } from '../../domain/tools';
import { requireParams, requireTarget, stderrReason, toolFailure, type RunOutcome } from './run-outcome';
import type { ToolRunner } from './tool-runner';

export interface PingRunRequest {
  target: string;
  /** Checked with PingParams; defaults fill what is missing. */
  params?: Partial<PingParams>;
  runner: ToolRunner;
  signal?: AbortSignal;
  /** Each reply (or timeout, or error line) with the running summary over the replies so far. */
  onReply?: (reply: PingReply, soFar: PingSummary) => void;
  /** Each stdout line as printed, for a raw view. */
  onLine?: (line: string) => void;
}

export type PingRun = RunOutcome<PingResult>;

/**
 * Runs ping and resolves with the parsed result. Throws DomainError (invalid-input) for a bad
 * target or parameters before any process starts, and ToolError when ping is missing or may
 * not open its socket; everything else (no answer, unknown host, cancel) is in the outcome.
 */
export async function runPing(request: PingRunRequest): Promise<PingRun> {
  const target = requireTarget(request.target);
  const params = requireParams(PingParams, request.params);
  const argv = pingArgv(target, params);
  const stream = createPingStream();
  const raw: string[] = [];

  const exit = await request.runner.run(argv, {
    ...(request.signal ? { signal: request.signal } : {}),
    onLine: (line) => {
      raw.push(line);
      request.onLine?.(line);
      const parsed = stream.push(line);
      if (parsed !== null && 'rttMs' in parsed) request.onReply?.(parsed, stream.result().summary);
    },
  });

  const failure = toolFailure('ping', exit);
  if (failure) throw failure;
  const result = stream.result();
  result.target ??= target.text;
  const outcome: PingRun = {
    status: 'done',
    argv,
    target: target.text,
    result,
    raw: raw.map((l) => `${l}\n`).join(''),
    stderr: exit.stderr,
    exitCode: exit.code,
  };
  if (request.signal?.aborted) return { ...outcome, status: 'cancelled' };
  // iputils: 0 = answers, 1 = no answer to some or all (still a result), 2 = it could not ping.
  if (exit.code === 0 || exit.code === 1) return outcome;
  return { ...outcome, status: 'failed', error: stderrReason('ping', exit) };
}
