import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ensureRendererBuilt, ROOT } from '../e2e/fixtures';
import { BIN } from './cli';

// `switchyard serve` as its own process, for tests of what happens to the process itself: a
// SIGTERM, a kill -9, a restart on the same data folder.

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** SIGTERM, then SIGKILL after `ms`; resolves when it has exited. */
  stop(ms?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServe(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  return startListening('serve', args, env);
}

/** Any command that serves the console and prints `Switchyard listening on …` (serve, demo). */
export async function startListening(
  command: 'serve' | 'demo',
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  startMs = 30_000,
): Promise<ServeProcess> {
  ensureRendererBuilt();
  const child = spawn(process.execPath, [BIN, command, '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} printed no URL in ${startMs / 1000} s:\n${stderr}`)), startMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^Switchyard listening on (http:\/\/\S+)$/.exec(line.trim());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${stderr}`));
    });
  });
  return {
    child,
    url,
    exited,
    stderr: () => stderr,
    async stop(ms = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
