import type { ChildProcess } from 'node:child_process';

/**
 * Ends a child and waits until it has exited (Node reaps it then). SIGTERM first, SIGKILL if it
 * has not gone after `graceMs`: a stopped probe never leaves a process or a zombie behind.
 */
export function stopChild(child: ChildProcess, graceMs = 1_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    if (!child.kill('SIGTERM') && child.exitCode === null && child.pid === undefined) {
      // It never started (spawn failed): there is nothing to wait for.
      clearTimeout(kill);
      resolve();
    }
  });
}
