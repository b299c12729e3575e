// A network namespace holding only `lo`, for benchmarks that need a thousand loopback targets:
// inside it a responder may bind 0.0.0.0 (and so answer every 127/8 address) with nothing but
// loopback able to reach it. Needs root (or CAP_NET_ADMIN); removed when the benchmark ends.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface BenchNetns {
  name: string;
  /** Prefix that runs a program inside the namespace. */
  exec: string[];
  remove(): void;
}

export function createLoopbackNetns(label: string): BenchNetns {
  const name = `swy-bench-${label}-${process.pid}`;
  execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
  const remove = () => {
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
    } catch {
      // Already gone.
    }
  };
  try {
    execFileSync('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
  } catch (error) {
    remove();
    throw error;
  }
  process.once('exit', remove);
  return { name, exec: ['ip', 'netns', 'exec', name], remove };
}

/** The i-th of the benchmark's loopback targets: 127.0.1.1, 127.0.1.2 … 250 per /24. */
export function loopbackTarget(i: number): string {
  return `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU seconds a process has used so far, from /proc (Linux); children included on request. */
export function processCpuSeconds(pid: number, withChildren = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / TICKS_PER_SECOND;
}
