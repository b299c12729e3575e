import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// A real OpenSSH sshd for integration tests, on loopback only: its own config, the static host
// keys from test/fixtures/ssh, authorized keys in a temp folder, and a dedicated local user.
// Started as root by absolute path (sshd re-executes itself), foreground (-D) with logs on
// stderr (-e), so its pid is ours and "Server listening" tells us when it is ready.

export const FIXTURES = fileURLToPath(new URL('../fixtures/ssh/', import.meta.url));
export const TEST_USER = 'switchyard-test';
export const TEST_PASSWORD = 'Switchyard test password 7';
export const KEY_PASSPHRASE = 'fixture passphrase';

export type HostKeyFixture = 'rsa' | 'ecdsa' | 'ed25519' | 'ed25519-swapped';
const HOST_KEY_FILES: Record<HostKeyFixture, string> = {
  rsa: 'host_rsa_key',
  ecdsa: 'host_ecdsa_key',
  ed25519: 'host_ed25519_key',
  'ed25519-swapped': 'host_ed25519_key_swapped',
};

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** `type base64` of a host key fixture's public half. */
export function hostPublicKey(name: HostKeyFixture): { keyType: string; key: string } {
  const [keyType = '', key = ''] = readFileSync(fixture(`${HOST_KEY_FILES[name]}.pub`), 'utf8')
    .trim()
    .split(/\s+/);
  return { keyType, key };
}

/** SHA256 fingerprint as OpenSSH's ssh-keygen prints it, to compare with ours. */
export function sshKeygenFingerprint(name: HostKeyFixture): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', fixture(`${HOST_KEY_FILES[name]}.pub`)], { encoding: 'utf8' });
  return out.split(/\s+/)[1] ?? '';
}

export interface SshdOptions {
  /** One ListenAddress each; 127.0.0.1 by default. More than 16 start a second sshd. */
  addresses?: string[];
  port?: number;
  hostKeys?: HostKeyFixture[];
  extraConfig?: string[];
  /**
   * A program sshd is started through (`unshare --mount …` giving its sessions a view of their own);
   * it must end by exec'ing the sshd command line it is given after its own arguments.
   */
  launcher?: string[];
}

export interface Sshd {
  port: number;
  addresses: string[];
  /** Temp folder of this sshd; `work` inside it is writable by the test user. */
  dir: string;
  workDir: string;
  /** Everything the sshd processes logged so far. */
  logs(): string;
  stop(): Promise<void>;
}

let userReady: Promise<void> | null = null;

/** Creates the test user once, idempotently, and sets its password (retrying on /etc locks). */
export function ensureTestUser(): Promise<void> {
  userReady ??= (async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        try {
          execFileSync('id', ['-u', TEST_USER], { stdio: 'ignore' });
        } catch {
          execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', TEST_USER], { stdio: 'pipe' });
        }
        execFileSync('chpasswd', [], { input: `${TEST_USER}:${TEST_PASSWORD}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
        return;
      } catch (err) {
        // Another test file may hold the passwd/shadow lock at this moment.
        if (attempt >= 20) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 + attempt * 50));
      }
    }
  })();
  return userReady;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  await ensureTestUser();
  mkdirSync('/run/sshd', { recursive: true });
  const addresses = options.addresses ?? ['127.0.0.1'];
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-sshd-'));
  // sshd reads authorized_keys as the user: the folder must be traversable by it.
  chmodSync(dir, 0o755);
  const workDir = path.join(dir, 'work');
  mkdirSync(workDir, { mode: 0o777 });
  chmodSync(workDir, 0o777);

  const hostKeyPaths = (options.hostKeys ?? ['ed25519']).map((name) => {
    const target = path.join(dir, HOST_KEY_FILES[name]);
    copyFileSync(fixture(HOST_KEY_FILES[name]), target);
    chmodSync(target, 0o600); // sshd ignores a host key others can read
    return target;
  });
  const authorized = ['user_ed25519.pub', 'user_rsa_passphrase.pub', 'user_ecdsa.pub']
    .map((f) => readFileSync(fixture(f), 'utf8').trim())
    .join('\n');
  writeFileSync(path.join(dir, 'authorized_keys'), `${authorized}\n`, { mode: 0o644 });

  const logs: string[] = [];
  const processes: ChildProcess[] = [];
  const groups: string[][] = [];
  for (let i = 0; i < addresses.length; i += 16) groups.push(addresses.slice(i, i + 16));
  try {
    for (const [index, group] of groups.entries()) {
      const configPath = path.join(dir, `sshd_config.${index}`);
      writeFileSync(configPath, sshdConfig(port, group, hostKeyPaths, dir, options.extraConfig ?? []));
      processes.push(await spawnSshd(configPath, port, group, logs, options.launcher ?? []));
    }
  } catch (err) {
    for (const child of processes) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    port,
    addresses,
    dir,
    workDir,
    logs: () => logs.join(''),
    async stop() {
      await Promise.all(processes.map((child) => stopProcess(child)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function sshdConfig(port: number, addresses: string[], hostKeys: string[], dir: string, extra: string[]): string {
  return [
    `Port ${port}`,
    ...addresses.map((a) => `ListenAddress ${a}`),
    ...hostKeys.map((k) => `HostKey ${k}`),
    'PidFile none',
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'UsePAM no',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin no',
    `AllowUsers ${TEST_USER}`,
    'AllowTcpForwarding yes',
    // The defaults (10:30:100 and 10) would fail a 20-target fan-out for the wrong reason.
    'MaxStartups 100:30:200',
    'MaxSessions 50',
    'LogLevel INFO',
    ...extra,
    '',
  ].join('\n');
}

function spawnSshd(configPath: string, port: number, addresses: string[], logs: string[], launcher: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const [program = '/usr/sbin/sshd', ...args] = [...launcher, '/usr/sbin/sshd', '-D', '-e', '-f', configPath];
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const waiting = new Set(addresses.map((a) => `Server listening on ${a} port ${port}.`));
    let buffer = '';
    const onExit = (code: number | null): void => reject(new Error(`sshd exited (${code}) before listening:\n${buffer}`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      logs.push(text);
      buffer += text;
      for (const line of [...waiting]) if (buffer.includes(line)) waiting.delete(line);
      if (waiting.size === 0) {
        child.off('exit', onExit);
        resolve(child);
      }
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
