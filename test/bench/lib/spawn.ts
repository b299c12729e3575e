// Child processes for benchmarks: started, waited on (PID 1 here does not reap) and stopped by
// their own pid, never by name.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Running {
  child: ChildProcess;
  pid: number;
  /** Everything the child printed on stdout so far. */
  stdout(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function start(command: readonly string[], options: SpawnOptions = {}): Running {
  const [program, ...args] = command;
  if (!program) throw new Error('no command');
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    pid: child.pid ?? 0,
    stdout: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
