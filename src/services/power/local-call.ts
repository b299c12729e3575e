import { spawn } from 'node:child_process';
import type { CallResult } from '../../domain/power/power-outcome';

// One call to a power controller from this workstation: the argv spawned with no shell, stdout and
// stderr streamed as they come, stopped at its deadline or when cancelled (SIGTERM, then SIGKILL),
// and always waited for, so no ipmitool outlives the run that started it.

export interface LocalCallOptions {
  /** Added to this process's environment (IPMI_PASSWORD); never logged, never on the command line. */
  env?: Readonly<Record<string, string>>;
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (chunk: string) => void;
  /** How long a stopped program gets after SIGTERM before SIGKILL. */
  killGraceMs?: number;
}

/** Output kept per call to explain a failure; the rest still streams to `onOutput`. */
const KEEP = 64 * 1024;

export function localCall(argv: readonly string[], options: LocalCallOptions): Promise<CallResult> {
  const [program, ...args] = argv;
  if (program === undefined) return Promise.resolve({ failure: 'not-found', code: null, signal: null, output: '' });
  if (options.signal?.aborted) return Promise.resolve({ failure: 'cancelled', code: null, signal: null, output: '' });
  return new Promise((resolve) => {
    let output = '';
    let failure: CallResult['failure'] = null;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(program, args, {
      env: { ...process.env, ...options.env, LC_ALL: 'C', LANG: 'C' },
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const take = (chunk: string): void => {
      if (output.length < KEEP) output += chunk.slice(0, KEEP - output.length);
      options.onOutput?.(chunk);
    };
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    const stop = (why: 'timeout' | 'cancelled'): void => {
      failure ??= why;
      child.kill('SIGTERM');
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? 2_000);
    };
    const deadline = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = (): void => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (result: CallResult): void => {
      clearTimeout(deadline);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Spawning failed (no such program): there is no process to wait for.
      finish({ failure: error.code === 'ENOENT' ? 'not-found' : failure, code: null, signal: null, output: output || error.message });
    });
    child.once('close', (code, signal) => finish({ failure, code, signal, output }));
  });
}
