import { spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

// How the helpers that run a server program (Kamailio, aiosmtpd) end it: politely, then for sure,
// then any process it forked that outlived it, and only then remove the folders it worked in, so
// nothing is deleted under a running process and nothing is left running after the tests.

/**
 * A stop for `child`: SIGTERM, SIGKILL when it still runs five seconds later; resolves once it has
 * exited, after removing `dirs`. Made right after the spawn: it listens for the exit from then on,
 * so an early exit is not missed.
 */
export function stopperFor(child: ChildProcess, ...dirs: string[]): () => Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    for (const dir of dirs) {
      // A worker that outlived its main process (Kamailio forks several) is left to init; every
      // one of them names its folder on its command line. pkill exits 1 when none is left.
      spawnSync('pkill', ['-KILL', '-f', '--', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
