import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

// "A second machine": a network namespace of its own joined to ours by a veth pair, so a client
// inside it reaches a host here over a real interface and address (not loopback), as a desk on
// the NOC's network would. Only the pair and the namespace are made; deleting the namespace
// deletes the pair with it. The /30 is picked at random in 10.231.0.0/16 so parallel runs differ.

export interface VethNetns {
  name: string;
  /** The address on our side, where the host listens. */
  hostAddress: string;
  /** The second machine's address, as the host sees it. */
  deskAddress: string;
  /** Runs a program inside the namespace; resolves with its stdout (never blocking our event loop, where the host may be serving it). */
  run(argv: string[]): Promise<string>;
  /** The argv prefix that runs a program inside the namespace. */
  exec: string[];
  remove(): void;
}

/** Why this cannot run here, or null. */
export function vethUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'a network namespace needs root';
  try {
    execFileSync('ip', ['-V'], { stdio: 'pipe' });
  } catch {
    return 'iproute2 (ip) is not installed';
  }
  return null;
}

export function createVethNetns(): VethNetns {
  const tag = `${process.pid % 10_000}${Math.floor(Math.random() * 100)}`;
  const name = `swy-desk-${tag}`;
  const [hostSide, deskSide] = [`swyh${tag}`, `swyd${tag}`];
  const block = Math.floor(Math.random() * 16_000) * 4;
  const base = `10.231.${Math.floor(block / 256)}.`;
  const hostAddress = `${base}${(block % 256) + 1}`;
  const deskAddress = `${base}${(block % 256) + 2}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('netns', 'add', name);
  const remove = () => {
    try {
      ip('netns', 'del', name);
    } catch {
      // Already gone.
    }
    try {
      ip('link', 'del', hostSide);
    } catch {
      // Went with the namespace.
    }
  };
  try {
    ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', deskSide);
    ip('link', 'set', deskSide, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostSide);
    ip('link', 'set', hostSide, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${deskAddress}/30`, 'dev', deskSide);
    ip('netns', 'exec', name, 'ip', 'link', 'set', deskSide, 'up');
  } catch (error) {
    remove();
    throw error;
  }
  const exec = ['ip', 'netns', 'exec', name];
  return {
    name,
    hostAddress,
    deskAddress,
    exec,
    run: async (argv) => (await promisify(execFile)(exec[0]!, [...exec.slice(1), ...argv], { encoding: 'utf8' })).stdout,
    remove,
  };
}
