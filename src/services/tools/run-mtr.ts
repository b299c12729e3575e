// An mtr run. `raw` mode streams the hop table as probes come back (the live view); `json` mode
// waits for mtr's own report. Either way the result has the shape every mtr parser gives.
import { createMtrRawStream, parseMtr, type MtrHop, type MtrResult } from '../../domain/mtr';
import { MtrParams, mtrArgv, type MtrOutputMode } from '../../domain/tools';
import { requireParams, requireTarget, stderrReason, toolFailure, type RunOutcome } from './run-outcome';
import type { ToolRunner } from './tool-runner';

export interface MtrRunRequest {
  target: string;
  params?: Partial<MtrParams>;
  mode?: MtrOutputMode;
  runner: ToolRunner;
  signal?: AbortSignal;
  /** The whole hop table after each reply or new host (raw mode only), and what changed. */
  onHops?: (hops: MtrHop[], change: MtrChange) => void;
  onLine?: (line: string) => void;
}

export type MtrRun = RunOutcome<MtrResult>;

/** One raw line's news: a host seen at a hop, a reply (with its round trip), or a reverse name. */
export interface MtrChange {
  hop: number;
  kind: 'host' | 'reply' | 'name';
  rttMs?: number;
}

const KINDS = { h: 'host', p: 'reply', d: 'name' } as const;

function changeOf(line: string): MtrChange | null {
  const m = /^([hpd]) (\d+) (\S+)/.exec(line);
  if (!m) return null;
  const kind = KINDS[m[1] as keyof typeof KINDS];
  const change: MtrChange = { hop: Number(m[2]) + 1, kind };
  if (kind === 'reply' && Number.isFinite(Number(m[3]))) change.rttMs = Number(m[3]) / 1000;
  return change;
}

/** Same contract as runPing: bad input and a missing or powerless tool throw, the rest is in the outcome. */
export async function runMtr(request: MtrRunRequest): Promise<MtrRun> {
  const target = requireTarget(request.target);
  const params = requireParams(MtrParams, request.params);
  const mode = request.mode ?? 'raw';
  const argv = mtrArgv(target, params, mode);
  const stream = createMtrRawStream();
  const raw: string[] = [];

  const exit = await request.runner.run(argv, {
    ...(request.signal ? { signal: request.signal } : {}),
    onLine: (line) => {
      raw.push(line);
      request.onLine?.(line);
      if (mode !== 'raw') return;
      stream.push(line);
      // `x` only says a probe left; the table changes when a host or a reply is seen.
      const change = changeOf(line);
      if (change) request.onHops?.(stream.hops(), change);
    },
  });

  const failure = toolFailure('mtr', exit);
  if (failure) throw failure;
  const text = raw.map((l) => `${l}\n`).join('');
  const result = mode === 'raw' ? stream.result() : parseMtr(text, 'json');
  result.target ??= target.text;
  const outcome: MtrRun = { status: 'done', argv, target: target.text, result, raw: text, stderr: exit.stderr, exitCode: exit.code };
  if (request.signal?.aborted) return { ...outcome, status: 'cancelled' };
  // mtr 0.95 exits 0 even when it cannot resolve the target; it then says so on stderr only.
  const silentFailure = result.hops.length === 0 && exit.stderr.trim() !== '';
  if (exit.code === 0 && !silentFailure) return outcome;
  return { ...outcome, status: 'failed', error: stderrReason('mtr', exit) };
}
