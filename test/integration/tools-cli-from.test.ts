import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';

// `switchyard ping|mtr --from SERVER` against a real sshd: the server is found in the fleet by
// alias or IP, its host key must already be on file, and the run goes over SSH.
let sshd: Sshd;
let dir: string;
let data: string;
let home: string;

beforeAll(async () => {
  sshd = await startSshd();
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-tools-from-'));
  data = path.join(dir, 'data');
  home = path.join(dir, 'home');
  mkdirSync(home);
  const fleet = {
    switchyard: 'fleet',
    version: 1,
    zones: [{ name: 'Lab', description: '' }],
    clusters: [],
    servers: [
      {
        ip: '127.0.0.1',
        alias: 'lab-sbc1',
        type: 'switch',
        zone: 'Lab',
        channels: 10,
        cps: 1,
        ssh: { host: '127.0.0.1', port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519') },
      },
    ],
    rtpServers: [],
  };
  const file = path.join(dir, 'fleet.json');
  writeFileSync(file, JSON.stringify(fleet));
  const imported = await runCli(['fleet', 'import', file, '--data', data], { env: { HOME: home } });
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(async () => {
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.sequential('switchyard ping|mtr --from SERVER', () => {
  it('refuses a server whose host key is not on file (exit 1), naming the fingerprint', async () => {
    const result = await runCli(['ping', '127.0.0.2', '--count', '1', '--from', 'lab-sbc1', '--data', data], { env: { HOME: home } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/host key of 127\.0\.0\.1:\d+ \(ssh-ed25519 SHA256:\S+\) is not on file/);
  });

  it('pings from the server by alias, and traces from it by IP, once its key is known', async () => {
    const { keyType, key } = hostPublicKey('ed25519');
    writeFileSync(path.join(data, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`, { mode: 0o600 });
    const ping = await runCli(['ping', '127.0.0.2', '--count', '2', '--interval', '0.2', '--from', 'lab-sbc1', '--data', data, '--json'], {
      env: { HOME: home },
    });
    expect(ping.stderr).toBe('');
    expect(ping.code).toBe(0);
    expect(JSON.parse(ping.stdout)).toMatchObject({ summary: { sent: 2, received: 2, lossPct: 0 } });

    const mtr = await runCli(['mtr', '127.0.0.2', '--count', '1', '--from', '127.0.0.1', '--data', data, '--json'], {
      env: { HOME: home },
    });
    expect(mtr.code).toBe(0);
    expect(JSON.parse(mtr.stdout)).toMatchObject({ hops: [{ hop: 1, host: '127.0.0.2', sent: 1 }] });
    // The runs went through sshd as the test user.
    expect(sshd.logs()).toMatch(new RegExp(`Accepted publickey for ${TEST_USER}`));
  });

  it('still refuses a hostile target before looking up the server', async () => {
    const result = await runCli(['ping', '$(reboot)', '--from', 'lab-sbc1', '--data', data], { env: { HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/contains "\$"/);
  });
});
