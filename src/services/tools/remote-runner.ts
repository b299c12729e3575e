// Runs a tool's argv on a fleet server over SSH: the same argv the local runner would spawn,
// quoted by the SSH layer's shellJoin, read by the same parsers. Only the transport differs.
import type { ExecOptions, ExecResult } from '../ssh/exec';
import { createLineSplitter } from './lines';
import { ToolError } from './tool-errors';
import type { ToolRunner } from './tool-runner';

/** `exec(conn, argv, options)` with the connection bound, or the pool's exec with its target bound. */
export type RemoteExec = (argv: readonly string[], options: ExecOptions) => Promise<ExecResult>;

/**
 * `env LC_ALL=C` in front, since sshd passes no locale reliably (AcceptEnv); `env` also makes a
 * missing tool exit 127 on every POSIX system, which the runs turn into the install hint.
 */
export function remoteArgv(argv: readonly string[]): string[] {
  return ['env', 'LC_ALL=C', ...argv];
}

export function createRemoteRunner(execOn: RemoteExec, label: string): ToolRunner {
  return {
    async run(argv, { onLine, signal }) {
      const tool = argv[0] ?? '';
      const lines = createLineSplitter(onLine);
      const result = await execOn(remoteArgv(argv), { onStdout: (chunk) => lines.write(chunk), ...(signal ? { signal } : {}) });
      lines.end();
      if (result.failure === 'cancelled') return { code: null, stderr: result.stderr };
      if (result.failure !== null) {
        throw new ToolError(
          'failed',
          tool,
          `${tool} on ${label} did not finish: ${result.failure === 'timeout' ? 'it timed out' : 'the SSH connection was lost'}.`,
        );
      }
      // Killed by a signal on the server (someone else's kill, an OOM): no exit code to read.
      if (result.code === null) throw new ToolError('failed', tool, `${tool} on ${label} was killed by ${result.signal ?? 'a signal'}.`);
      return { code: result.code, stderr: result.stderr };
    },
  };
}
