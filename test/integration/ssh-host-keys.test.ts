import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type HostKeyAnswer } from '../../src/services/ssh/connect';
import { exec } from '../../src/services/ssh/exec';
import { clientSetup, keyTarget, type ClientSetup } from '../helpers/ssh-client';
import { freePort, hostPublicKey, sshKeygenFingerprint, startSshd, type Sshd } from '../helpers/sshd';

const running: Sshd[] = [];
const clients: ClientSetup[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  for (const c of clients.splice(0)) c.cleanup();
});

async function sshd(options: Parameters<typeof startSshd>[0]): Promise<Sshd> {
  const started = await startSshd(options);
  running.push(started);
  return started;
}
function setup(answer?: Parameters<typeof clientSetup>[0]): ClientSetup {
  const made = clientSetup(answer);
  clients.push(made);
  return made;
}
const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const line = (host: string, port: number, name: Parameters<typeof hostPublicKey>[0]): string => {
  const { keyType, key } = hostPublicKey(name);
  return `[${host}]:${port} ${keyType} ${key}`;
};

/** Connects and, only if that succeeds, creates `marker` on the server: proof of what ran. */
async function connectAndTouch(client: ClientSetup, port: number, marker: string, connectMs = 15_000): Promise<unknown> {
  const conn = await connect(keyTarget('127.0.0.1', port), client.options({ timeouts: { connectMs } }));
  await exec(conn, ['touch', '--', marker]);
  conn.close();
  return 'ran';
}

describe('unknown host keys', () => {
  it('asks with the SHA256 fingerprint, waits for the answer, and a refusal runs nothing', async () => {
    const server = await sshd({ hostKeys: ['ed25519'] });
    let answer: (a: HostKeyAnswer) => void = () => undefined;
    let markAsked: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (markAsked = resolve));
    const client = setup(() => {
      markAsked();
      return new Promise<HostKeyAnswer>((resolve) => (answer = resolve));
    });
    const marker = path.join(server.workDir, 'refused-marker');
    let settled = false;
    const attempt = connectAndTouch(client, server.port, marker, 600).finally(() => (settled = true));
    attempt.catch(() => undefined);
    await asked;
    // Longer than the connect timeout: the connection keeps waiting for the operator, and the
    // timer is paused meanwhile. (A deliberate wait: what is proven is that nothing happens.)
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(settled).toBe(false);
    expect(client.prompts).toEqual([
      { host: '127.0.0.1', port: server.port, keyType: 'ssh-ed25519', fingerprint: sshKeygenFingerprint('ed25519') },
    ]);
    answer('refuse');
    await expect(attempt).rejects.toMatchObject({ code: 'host-key-refused' });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(client.appKnownHosts)).toBe(false);
  });

  it('files an accepted key in the app known_hosts, never the user one, and does not ask again', async () => {
    const server = await sshd({ hostKeys: ['ed25519'] });
    const client = setup('accept');
    writeFileSync(
      client.userKnownHosts,
      "# the operator's own file\nexample.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n",
    );
    const before = sha(client.userKnownHosts);
    await connectAndTouch(client, server.port, path.join(server.workDir, 'accepted'));
    expect(client.prompts).toHaveLength(1);
    expect(readFileSync(client.appKnownHosts, 'utf8')).toBe(`${line('127.0.0.1', server.port, 'ed25519')}\n`);
    await connectAndTouch(client, server.port, path.join(server.workDir, 'again'));
    expect(client.prompts).toHaveLength(1);
    expect(sha(client.userKnownHosts)).toBe(before);
    expect(existsSync(path.join(server.workDir, 'again'))).toBe(true);
  });
});

describe('changed host keys', () => {
  it('refuses a swapped key on the same address and port, says what changed, and runs nothing', async () => {
    const port = await freePort();
    const first = await sshd({ port, hostKeys: ['ed25519'] });
    const client = setup('accept');
    await connectAndTouch(client, port, path.join(first.workDir, 'first'));
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const impostor = await sshd({ port, hostKeys: ['ed25519-swapped'] });
    const marker = path.join(impostor.workDir, 'must-not-exist');
    const error = (await connectAndTouch(client, port, marker).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toBe('host-key-changed');
    expect(error.message).toContain(sshKeygenFingerprint('ed25519'));
    expect(error.message).toContain(sshKeygenFingerprint('ed25519-swapped'));
    expect(error.message).toContain(`${client.appKnownHosts} line 1`);
    expect(error.message).toMatch(/remove line 1 from/);
    expect(existsSync(marker)).toBe(false);
    expect(client.prompts).toHaveLength(1); // a changed key is never offered for acceptance
  });

  it('names the user known_hosts line and leaves that file alone', async () => {
    const server = await sshd({ hostKeys: ['ed25519-swapped'] });
    const client = setup('accept');
    writeFileSync(client.userKnownHosts, `# mine\n${line('127.0.0.1', server.port, 'ed25519')}\n`);
    const before = sha(client.userKnownHosts);
    const marker = path.join(server.workDir, 'must-not-exist');
    const error = (await connectAndTouch(client, server.port, marker).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toBe('host-key-changed');
    expect(error.message).toContain(`${client.userKnownHosts} line 2`);
    expect(error.message).toContain('ssh-keygen -R');
    expect(existsSync(marker)).toBe(false);
    expect(sha(client.userKnownHosts)).toBe(before);
  });

  it('refuses a key marked @revoked', async () => {
    const server = await sshd({ hostKeys: ['ed25519'] });
    const client = setup('accept');
    const { keyType, key } = hostPublicKey('ed25519');
    writeFileSync(client.userKnownHosts, `@revoked * ${keyType} ${key}\n`);
    await expect(connectAndTouch(client, server.port, path.join(server.workDir, 'x'))).rejects.toMatchObject({ code: 'host-key-revoked' });
    expect(client.prompts).toHaveLength(0);
  });
});

describe('reading known_hosts', () => {
  it('matches entries hashed by OpenSSH (ssh-keygen -H) without asking', async () => {
    const server = await sshd({ hostKeys: ['ed25519'] });
    const client = setup('refuse');
    writeFileSync(client.userKnownHosts, `${line('127.0.0.1', server.port, 'ed25519')}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', client.userKnownHosts], { stdio: 'ignore' });
    expect(readFileSync(client.userKnownHosts, 'utf8')).toMatch(/^\|1\|/);
    const before = sha(client.userKnownHosts);
    expect(await connectAndTouch(client, server.port, path.join(server.workDir, 'hashed'))).toBe('ran');
    expect(client.prompts).toHaveLength(0);
    expect(sha(client.userKnownHosts)).toBe(before);
  });

  it('matches wildcard patterns, and asks a multi-key server for the key type on file', async () => {
    const server = await sshd({ hostKeys: ['ed25519', 'ecdsa', 'rsa'] });
    const client = setup('refuse');
    const { keyType, key } = hostPublicKey('rsa');
    writeFileSync(client.userKnownHosts, `[127.0.0.*]:${server.port},!bad.example ${keyType} ${key}\n`);
    expect(await connectAndTouch(client, server.port, path.join(server.workDir, 'rsa'))).toBe('ran');
    expect(client.prompts).toHaveLength(0);
  });
});
