// Wraps the real spawn so a test can see every process a runner starts: its argv, pid, and
// when it exited. Lets tests prove "no process started" and "the child was reaped".
import { existsSync, readFileSync } from 'node:fs';
import { spawnTool, type SpawnTool } from '../../src/services/tools';

export interface Started {
  argv: string[];
  pid: number | undefined;
  /** performance.now() when the child exited; undefined while it runs. */
  exitedAt?: number;
}

export function watchedSpawn(inner: SpawnTool = spawnTool): { spawn: SpawnTool; started: Started[] } {
  const started: Started[] = [];
  const spawn: SpawnTool = (command, args, options) => {
    const child = inner(command, args, options);
    const entry: Started = { argv: [command, ...args], pid: child.pid };
    started.push(entry);
    child.once('exit', () => (entry.exitedAt = performance.now()));
    return child;
  };
  return { spawn, started };
}

/** True when the pid no longer names a process, not even a zombie waiting to be reaped. */
export function isGone(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    // A recycled pid would belong to someone else; ours would show state Z if left unreaped.
    return !/\) Z /.test(readFileSync(stat, 'utf8'));
  } catch {
    return true;
  }
}
