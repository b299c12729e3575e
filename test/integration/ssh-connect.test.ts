import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../src/services/secrets/secret-store';
import { passphraseSecretKey, passwordSecretKey } from '../../src/services/ssh/auth';
import { connect } from '../../src/services/ssh/connect';
import { exec } from '../../src/services/ssh/exec';
import { SshError } from '../../src/services/ssh/ssh-error';
import { clientSetup, keyTarget, type ClientSetup } from '../helpers/ssh-client';
import { fixture, KEY_PASSPHRASE, startSshd, TEST_PASSWORD, type Sshd } from '../helpers/sshd';

let sshd: Sshd;
let client: ClientSetup;

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519', 'ecdsa', 'rsa'] });
  client = clientSetup('accept');
});
afterAll(async () => {
  await sshd?.stop();
  client?.cleanup();
});

describe('authentication against a real sshd', () => {
  it('logs in with a key file and runs a command', async () => {
    const conn = await connect(keyTarget('127.0.0.1', sshd.port), client.options());
    const result = await exec(conn, ['id', '-un']);
    conn.close();
    expect(result).toMatchObject({ code: 0, stdout: 'switchyard-test\n', failure: null });
  });

  it('logs in with a passphrase-protected key, the passphrase from the secret store', async () => {
    const secrets = createMemorySecretStore([[passphraseSecretKey('srv-pp'), KEY_PASSPHRASE]]);
    const target = keyTarget('127.0.0.1', sshd.port, { id: 'srv-pp', keyPath: fixture('user_rsa_passphrase') });
    const conn = await connect(target, client.options({ secrets }));
    expect((await exec(conn, ['echo', 'ok'])).stdout).toBe('ok\n');
    conn.close();
  });

  it('says a passphrase is needed when none is stored, and a wrong one does not open the key', async () => {
    const target = keyTarget('127.0.0.1', sshd.port, { id: 'srv-pp', keyPath: fixture('user_rsa_passphrase') });
    await expect(connect(target, client.options())).rejects.toThrow(/protected by a passphrase/);
    const wrong = createMemorySecretStore([[passphraseSecretKey('srv-pp'), 'not it']]);
    await expect(connect(target, client.options({ secrets: wrong }))).rejects.toMatchObject({ code: 'auth-failed' });
  });

  it('logs in with a password from the secret store, and never puts it in an error', async () => {
    const secrets = createMemorySecretStore([[passwordSecretKey('srv-pw'), TEST_PASSWORD]]);
    const target = keyTarget('127.0.0.1', sshd.port, { id: 'srv-pw', auth: 'password', keyPath: null });
    const conn = await connect(target, client.options({ secrets }));
    expect((await exec(conn, ['echo', 'pw'])).stdout).toBe('pw\n');
    conn.close();

    const wrong = createMemorySecretStore([[passwordSecretKey('srv-pw'), 'secret-wrong-password']]);
    const error = await connect(target, client.options({ secrets: wrong })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshError);
    expect((error as SshError).code).toBe('auth-failed');
    expect(String((error as SshError).message)).not.toContain('secret-wrong-password');
  });

  it('logs in through a real ssh-agent (SSH_AUTH_SOCK)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-agent-'));
    const socket = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      await waitFor(() => existsSync(socket));
      // ssh-add refuses a key file others can read, and a fresh clone checks fixtures out 0644.
      const key = path.join(dir, 'user_ecdsa');
      copyFileSync(fixture('user_ecdsa'), key);
      chmodSync(key, 0o600);
      execFileSync('ssh-add', [key], { env: { SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      const target = keyTarget('127.0.0.1', sshd.port, { auth: 'agent', keyPath: null });
      const conn = await connect(target, client.options({ env: { SSH_AUTH_SOCK: socket } }));
      expect((await exec(conn, ['echo', 'agent'])).stdout).toBe('agent\n');
      conn.close();
      await expect(connect(target, client.options({ env: {} }))).rejects.toThrow(/SSH_AUTH_SOCK is not set/);
    } finally {
      agent.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('commands', () => {
  it('reports exit codes and streams stdout and stderr as they arrive', async () => {
    const conn = await connect(keyTarget('127.0.0.1', sshd.port), client.options());
    const chunks: string[] = [];
    const errs: string[] = [];
    const script = 'echo one; sleep 0.3; echo two; echo oops >&2; exit 7';
    const result = await exec(conn, ['sh', '-c', script], { onStdout: (c) => chunks.push(c), onStderr: (c) => errs.push(c) });
    conn.close();
    expect(result).toMatchObject({ code: 7, stdout: 'one\ntwo\n', stderr: 'oops\n', failure: null, timedOut: false });
    // Two writes 300 ms apart arrive as separate chunks: the output is streamed, not buffered.
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks[0]).toBe('one\n');
    expect(errs.join('')).toBe('oops\n');
  });

  it('times out a command, keeps its output, and the remote process is stopped', async () => {
    const conn = await connect(keyTarget('127.0.0.1', sshd.port), client.options());
    const started = Date.now();
    const result = await exec(conn, ['sh', '-c', 'echo $$; exec sleep 30'], { timeoutMs: 800 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result).toMatchObject({ timedOut: true, failure: 'timeout', code: null });
    const pid = Number(result.stdout.trim());
    expect(pid).toBeGreaterThan(1);
    await waitFor(() => !processAlive(pid));
    conn.close();
  });

  it('cancels a command through an AbortSignal', async () => {
    const conn = await connect(keyTarget('127.0.0.1', sshd.port), client.options());
    const controller = new AbortController();
    const result = await exec(conn, ['sh', '-c', 'echo started; exec sleep 30'], {
      signal: controller.signal,
      onStdout: () => controller.abort(),
    });
    expect(result).toMatchObject({ failure: 'cancelled', stdout: 'started\n', timedOut: false });
    conn.close();
  });

  it('marks a run failed when the server side is killed mid-run, keeping the partial output', async () => {
    const conn = await connect(keyTarget('127.0.0.1', sshd.port), client.options());
    let killed = false;
    // The command prints its pid; the nearest sshd above it serves this connection (sshd runs
    // on this machine, so /proc shows the chain). SIGKILL leaves it no chance to say goodbye.
    const result = await exec(conn, ['sh', '-c', 'echo before; echo $$; sleep 30; echo after'], {
      onStdout: (chunk) => {
        const match = /^(\d+)$/m.exec(chunk);
        if (match?.[1] && !killed) {
          killed = true;
          process.kill(sshdAbove(Number(match[1])), 'SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    expect(result.failure).toBe('connection-lost');
    expect(result.code).toBeNull();
    expect(result.stdout).toMatch(/^before\n\d+\n$/);
    await waitFor(() => !conn.isOpen());
  });
});

describe('connecting', () => {
  it('gives up after the connect timeout on a port that never speaks SSH', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const started = Date.now();
      const error = await connect(keyTarget('127.0.0.1', port), client.options({ timeouts: { connectMs: 700 } })).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'connect-timeout' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });

  it('says so when nothing listens', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    await expect(connect(keyTarget('127.0.0.1', closedPort), client.options())).rejects.toMatchObject({ code: 'connect-failed' });
  });
});

function sshdAbove(pid: number): number {
  for (let current = pid; current > 1;) {
    const stat = readFileSync(`/proc/${current}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (comm.startsWith('sshd')) return current;
    current = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  throw new Error(`no sshd above pid ${pid}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
