import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fixture, hostPublicKey } from './sshd';

// A server with a kernel firewall of its own: a network namespace made for the test, with a real
// OpenSSH sshd inside it on the namespace's loopback, logging root in by the fixture key (the
// firewall commands need root; the namespace is the only thing root can change through it).
// The namespace's loopback is not reachable from ours, so each SSH connection the test makes to
// 127.0.0.1:relayPort is carried into the namespace by a small relay process started there with
// `ip netns exec` — plain bytes, nothing interpreted — and the sshd sees an ordinary client.
// Everything lives until remove(): the sshd, the relays, the namespace and the temp folder.

export interface NetnsSshd {
  name: string;
  /** Port on our 127.0.0.1 that reaches the sshd inside the namespace. */
  relayPort: number;
  /** `[127.0.0.1]:PORT ssh-ed25519 …`: the line the host's known_hosts needs for it. */
  knownHostsLine: string;
  /** Runs a command inside the namespace (to read the firewall back); returns its stdout. */
  run(argv: string[], input?: string): string;
  remove(): Promise<void>;
}

/** Why a namespace with an sshd cannot be made here, or null when it can. */
export function netnsSshdUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'a network namespace and a root sshd need root';
  const probe = `swy-fw-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
  } catch (error) {
    return `ip netns does not work here: ${(error as Error).message.split('\n')[0]}`;
  }
  for (const tool of ['/usr/sbin/ipset', '/usr/sbin/nft', '/usr/sbin/iptables', '/usr/sbin/sshd']) {
    try {
      execFileSync('test', ['-x', tool]);
    } catch {
      return `${tool} is not installed (apt-get install ipset nftables iptables openssh-server)`;
    }
  }
  return null;
}

const RELAY =
  "const s=require('net').connect(Number(process.argv[1]),'127.0.0.1');process.stdin.pipe(s);s.pipe(process.stdout);s.on('error',()=>process.exit(1));s.on('close',()=>process.exit(0));";

const SSHD_PORT = 2222;

export async function startNetnsSshd(): Promise<NetnsSshd> {
  const name = `swy-fw-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('netns', 'add', name);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-netns-sshd-'));
  const children = new Set<ChildProcess>();
  let sshd: ChildProcess | null = null;
  let relay: net.Server | null = null;
  const remove = async (): Promise<void> => {
    await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
    await Promise.all([...children, ...(sshd ? [sshd] : [])].map((child) => stop(child)));
    try {
      ip('netns', 'del', name);
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ip('-n', name, 'link', 'set', 'lo', 'up');
    const hostKey = path.join(dir, 'host_ed25519_key');
    copyFileSync(fixture('host_ed25519_key'), hostKey);
    chmodSync(hostKey, 0o600);
    writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(fixture('user_ed25519.pub')), { mode: 0o600 });
    const config = path.join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${SSHD_PORT}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        'PidFile none',
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin prohibit-password',
        'AllowUsers root',
        'MaxStartups 100:30:200',
        'MaxSessions 50',
        'LogLevel INFO',
        '',
      ].join('\n'),
    );
    sshd = await spawnSshd(name, config);
    relay = net.createServer((socket) => {
      const child = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', RELAY, String(SSHD_PORT)], {
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      children.add(child);
      child.once('exit', () => {
        children.delete(child);
        socket.destroy();
      });
      socket.on('error', () => child.kill('SIGTERM'));
      socket.on('close', () => child.kill('SIGTERM'));
      child.stdin?.on('error', () => undefined);
      socket.pipe(child.stdin!);
      child.stdout!.pipe(socket);
    });
    const server = relay;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const relayPort = (relay.address() as net.AddressInfo).port;
    const { keyType, key } = hostPublicKey('ed25519');
    return {
      name,
      relayPort,
      knownHostsLine: `[127.0.0.1]:${relayPort} ${keyType} ${key}`,
      run: (argv, input) =>
        execFileSync('ip', ['netns', 'exec', name, ...argv], {
          encoding: 'utf8',
          stdio: ['pipe', 'pipe', 'pipe'],
          ...(input === undefined ? {} : { input }),
        }),
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

function spawnSshd(ns: string, config: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, '/usr/sbin/sshd', '-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const onExit = (code: number | null): void => reject(new Error(`sshd in ${ns} exited (${code}) before listening:\n${log}`));
    child.once('exit', onExit);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      log += text;
      if (log.includes(`Server listening on 127.0.0.1 port ${SSHD_PORT}.`)) {
        child.off('exit', onExit);
        resolve(child);
      }
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
