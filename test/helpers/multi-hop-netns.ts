// A routed path of three hops built from network namespaces joined by veth pairs, so mtr sees a
// real multi-hop route without leaving the machine:
//
//   client 10.201.1.1 ─ 10.201.1.2 router1 10.201.2.1 ─ 10.201.2.2 router2 10.201.3.1 ─ 10.201.3.2 dest
//
// 10.201.4.0/24 is routed to router2, which drops it. The 10.201.x addresses exist only inside
// these namespaces. Needs root (CAP_NET_ADMIN); the caller skips with the reason returned by
// multiHopUnavailable() when it cannot work.
import { execFileSync, spawn } from 'node:child_process';
import type { SpawnTool } from '../../src/services/tools';

export interface MultiHopPath {
  client: string;
  /** Router addresses as the client's probes see them, then the destination. */
  hops: [string, string, string];
  destination: string;
  /** An address on the destination's subnet that nobody holds: router2 answers "unreachable". */
  unassigned: string;
  /** An address router2 drops without a word: no reply and no error, only timeouts. */
  blackholed: string;
  /** Starts a tool inside the client namespace; the argv is unchanged after `ip netns exec NS`. */
  spawnInClient: SpawnTool;
  remove(): void;
}

const ip = (...args: string[]): void => void execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** Why a multi-hop path cannot be built here, or null when it can. */
export function multiHopUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'building network namespaces needs root';
  const probe = `swy-hops-probe-${process.pid}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return null;
  } catch (error) {
    return `ip netns does not work here: ${(error as Error).message.split('\n')[0]}`;
  }
}

export function buildMultiHopPath(): MultiHopPath {
  const tag = `${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  const [client, r1, r2, dest] = ['c', 'r1', 'r2', 'd'].map((n) => `swy-hops-${n}-${tag}`) as [string, string, string, string];
  const made: string[] = [];
  const remove = () => {
    for (const ns of made.splice(0).reverse()) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Already gone; nothing else to clean.
      }
    }
  };
  try {
    for (const ns of [client, r1, r2, dest]) {
      ip('netns', 'add', ns);
      made.push(ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    const link = (a: string, aAddr: string, b: string, bAddr: string) => {
      // Both ends are created straight inside their namespaces, so no name is ever taken in ours;
      // each namespace has at most one eth-next and one eth-prev, so the fixed names never clash.
      ip('link', 'add', 'eth-next', 'netns', a, 'type', 'veth', 'peer', 'name', 'eth-prev', 'netns', b);
      ip('-n', a, 'addr', 'add', aAddr, 'dev', 'eth-next');
      ip('-n', b, 'addr', 'add', bAddr, 'dev', 'eth-prev');
      ip('-n', a, 'link', 'set', 'eth-next', 'up');
      ip('-n', b, 'link', 'set', 'eth-prev', 'up');
    };
    link(client, '10.201.1.1/24', r1, '10.201.1.2/24');
    link(r1, '10.201.2.1/24', r2, '10.201.2.2/24');
    link(r2, '10.201.3.1/24', dest, '10.201.3.2/24');
    ip('-n', client, 'route', 'add', 'default', 'via', '10.201.1.2');
    ip('-n', r1, 'route', 'add', '10.201.3.0/24', 'via', '10.201.2.2');
    ip('-n', r2, 'route', 'add', 'default', 'via', '10.201.2.1');
    ip('-n', dest, 'route', 'add', 'default', 'via', '10.201.3.1');
    ip('-n', r1, 'route', 'add', '10.201.4.0/24', 'via', '10.201.2.2');
    ip('-n', r2, 'route', 'add', 'blackhole', '10.201.4.0/24');
    // Forwarding is per namespace: only the two routers forward.
    for (const router of [r1, r2]) execFileSync('ip', ['netns', 'exec', router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
  } catch (error) {
    remove();
    throw error;
  }
  return {
    client,
    hops: ['10.201.1.2', '10.201.2.2', '10.201.3.2'],
    destination: '10.201.3.2',
    unassigned: '10.201.3.99',
    blackholed: '10.201.4.1',
    spawnInClient: (command, args, options) =>
      spawn('ip', ['netns', 'exec', client, command, ...args], { env: options.env, shell: false, stdio: ['ignore', 'pipe', 'pipe'] }),
    remove,
  };
}
