// Runs a tool's argv and hands its stdout back line by line as it arrives. The runner knows
// nothing about ping or mtr: the local one spawns a process here, a remote one will run the
// same argv over SSH, and the ping/mtr runs above work with either.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { createLineSplitter } from './lines';
import { missingTool, ToolError } from './tool-errors';

export interface ToolRunOptions {
  /** One line of stdout, without its line end, as soon as it is complete. */
  onLine: (line: string) => void;
  /** Aborting kills the tool; run() settles once the process is gone. */
  signal?: AbortSignal;
}

/** `code` is null when the tool was killed (cancelled) rather than exiting on its own. */
export interface ToolExit {
  code: number | null;
  stderr: string;
}

export interface ToolRunner {
  run(argv: readonly string[], options: ToolRunOptions): Promise<ToolExit>;
}

export type ToolProcess = ChildProcessByStdio<null, Readable, Readable>;

/** Starts a process with no shell between the argv and the kernel. Injected so tests can watch it. */
export type SpawnTool = (command: string, args: readonly string[], options: { env: NodeJS.ProcessEnv }) => ToolProcess;

export const spawnTool: SpawnTool = (command, args, options) =>
  spawn(command, [...args], { env: options.env, shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });

export interface LocalRunnerOptions {
  spawnTool?: SpawnTool;
  /** The environment the tool sees; LC_ALL=C is always added so output is never localised. */
  env?: NodeJS.ProcessEnv;
  /** How long a cancelled tool gets to exit after SIGTERM before SIGKILL. */
  killGraceMs?: number;
}

/** Enough stderr to explain a failure; a tool flooding it cannot grow our memory without bound. */
const STDERR_LIMIT = 64 * 1024;

export function createLocalRunner(options: LocalRunnerOptions = {}): ToolRunner {
  const start = options.spawnTool ?? spawnTool;
  const env = { ...(options.env ?? process.env), LC_ALL: 'C', LANG: 'C' };
  const grace = options.killGraceMs ?? 2000;

  return {
    run(argv, { onLine, signal }) {
      const [command, ...args] = argv;
      if (command === undefined) return Promise.reject(new ToolError('failed', '', 'Nothing to run: the argv is empty.'));
      if (signal?.aborted) return Promise.resolve({ code: null, stderr: '' });
      return new Promise<ToolExit>((resolve, reject) => {
        let child: ToolProcess;
        try {
          child = start(command, args, { env });
        } catch (error) {
          reject(spawnFailure(command, error));
          return;
        }
        let stderr = '';
        let killTimer: NodeJS.Timeout | undefined;
        const lines = createLineSplitter(onLine);

        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => lines.write(chunk));
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk: string) => {
          if (stderr.length < STDERR_LIMIT) stderr += chunk.slice(0, STDERR_LIMIT - stderr.length);
        });

        const abort = () => {
          child.kill('SIGTERM');
          // A tool stuck in a system call may ignore SIGTERM; it must still go.
          killTimer = setTimeout(() => child.kill('SIGKILL'), grace);
        };
        signal?.addEventListener('abort', abort, { once: true });

        // 'close' comes after the exit has been reaped and both pipes are drained, so every
        // line has been delivered and no zombie is left behind when the promise settles.
        child.once('close', (code) => {
          signal?.removeEventListener('abort', abort);
          if (killTimer) clearTimeout(killTimer);
          lines.end();
          resolve({ code: signal?.aborted ? null : code, stderr });
        });
        child.once('error', (error) => {
          // Without a pid the process never started, so no 'close' will settle the run.
          if (child.pid !== undefined) return;
          signal?.removeEventListener('abort', abort);
          if (killTimer) clearTimeout(killTimer);
          reject(spawnFailure(command, error));
        });
      });
    },
  };
}

function spawnFailure(command: string, error: unknown): ToolError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return missingTool(command);
  if (code === 'EACCES')
    return new ToolError(
      'permission',
      command,
      `${command} exists but may not be executed (EACCES): check its permissions (\`ls -l $(command -v ${command})\`).`,
    );
  return new ToolError('failed', command, `${command} could not be started: ${error instanceof Error ? error.message : String(error)}`);
}
