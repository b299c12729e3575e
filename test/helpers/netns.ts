// A network namespace of our own for "a target that does not answer": loopback up (127/8
// answers there as anywhere), and a veth pair with 10.254.0.1/24 on one end and a permanent
// neighbour entry for 10.254.0.2, so packets to that address leave silently and nothing ever
// answers. Nothing outside the namespace is touched; it is deleted afterwards.
import { execFileSync } from 'node:child_process';

export const SILENT_ADDRESS = '10.254.0.2';

export interface Netns {
  name: string;
  /** Command prefix that runs a program inside the namespace. */
  exec: string[];
  remove(): void;
}

export function createNetns(): Netns | null {
  const name = `swy-probe-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  const inNs = (...args: string[]) => ip('netns', 'exec', name, 'ip', ...args);
  try {
    ip('netns', 'add', name);
  } catch {
    return null;
  }
  const remove = () => {
    try {
      ip('netns', 'del', name);
    } catch {
      // Already gone.
    }
  };
  try {
    inNs('link', 'set', 'lo', 'up');
    inNs('link', 'add', 'sw0', 'type', 'veth', 'peer', 'name', 'sw1');
    inNs('addr', 'add', '10.254.0.1/24', 'dev', 'sw0');
    inNs('link', 'set', 'sw0', 'up');
    inNs('link', 'set', 'sw1', 'up');
    inNs('neigh', 'replace', SILENT_ADDRESS, 'lladdr', '02:00:00:00:00:02', 'dev', 'sw0', 'nud', 'permanent');
  } catch {
    remove();
    return null;
  }
  return { name, exec: ['ip', 'netns', 'exec', name], remove };
}
