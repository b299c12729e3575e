import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaMeasurement } from '../../src/contract/media-methods';
import { openHost } from '../../src/host/app';
import { main } from '../../src/cli/main';
import { runCli, type CliResult } from '../helpers/cli';
import { call, draft } from '../helpers/fleet-fixtures';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';

// `switchyard media-path` and `media-zone` as a user runs them: the real command (spawned once;
// the other runs call the same main() in this process, to keep the test short), a data folder
// seeded with two RTP servers and a SIP server that are one real sshd on loopback (127.0.0.2,
// 127.0.0.3, 127.0.0.4), each pinging with the system's ping over SSH. Loopback paths are all
// about equally fast (no netem here): the output is checked for the ranking's shape, not a winner.

let sshd: Sshd;
let dir: string;
let data: string;

async function cli(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  // 127.0.0.6 listens too, but its key is kept out of known_hosts: an RTP server nobody has vouched for.
  sshd = await startSshd({ addresses: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.6'], hostKeys: ['ed25519'] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-media-'));
  data = path.join(dir, 'data');
  const app = openHost({ dataDir: data, log: () => {} });
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(
    path.join(data, 'known_hosts'),
    ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((a) => `[${a}]:${sshd.port} ${keyType} ${key}\n`).join(''),
    { mode: 0o600 },
  );
  const blr = await call(app, 'fleet:create-zone', { name: 'Bangalore', description: '' });
  const ny = await call(app, 'fleet:create-zone', { name: 'New York', description: '' });
  await call(app, 'fleet:create-zone', { name: 'London', description: '' });
  await call(app, 'fleet:create-rtp', { ip: '127.0.0.2', alias: 'rtp-blr1', zoneId: blr.id });
  await call(app, 'fleet:create-rtp', { ip: '127.0.0.3', alias: 'rtp-ny1', zoneId: ny.id });
  await call(
    app,
    'fleet:create-server',
    draft(ny.id, {
      ip: '127.0.0.4',
      alias: 'sw1',
      ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
    }),
  );
  await app.close();
});

afterAll(async () => {
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('switchyard media-path, media-zone, media-ssh', () => {
  it('sets how RTP servers are reached, measures, ranks and sets the zone', async () => {
    const ssh = await cli([
      'media-ssh',
      '--user',
      TEST_USER,
      '--port',
      String(sshd.port),
      '--key',
      fixture('user_ed25519'),
      '--data',
      data,
    ]);
    expect(ssh.stderr).toBe('');
    expect(ssh.stdout).toBe(`RTP servers are reached as ${TEST_USER} on port ${sshd.port} with the key ${fixture('user_ed25519')}.\n`);

    const table = await runCli(['media-path', '--customer', '127.0.0.5', '--server', 'sw1', '--data', data]);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toBe('Media path: customer 127.0.0.5, carrier 127.0.0.4, for sw1 (127.0.0.4) (round trips, ms)');
    expect(lines[2]).toMatch(/^RANK\s+ZONE\s+VIA\s+CUSTOMER ms\s+CARRIER ms\s+PATH ms\s+ADDED ms\s+NOTE$/);
    expect(lines[3]).toMatch(/^1\s+(Bangalore|New York)\s+rtp-(blr1|ny1) \(127\.0\.0\.[23]\)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+-?[\d.]+$/);
    expect(lines[4]).toMatch(/^2\s+(Bangalore|New York)\s/);
    expect(table.stdout).toContain('direct customer ↔ carrier: ');
    expect(table.stdout).toMatch(/\nRule: Media should go through the zone that adds the least latency/);

    const json = await cli(['media-path', '--customer', '127.0.0.5', '--carrier', '127.0.0.4', '--json', '--data', data]);
    const m = JSON.parse(json.stdout) as MediaMeasurement;
    expect(m.zones.map((z) => z.rank)).toEqual([1, 2]);
    expect(m.direct.rttMs).toBeGreaterThan(0);

    expect((await cli(['media-zone', 'sw1', 'Bangalore', '--data', data])).stdout).toBe('sw1: media zone set to Bangalore.\n');
    expect((await cli(['media-zone', '127.0.0.4', '--data', data])).stdout).toBe('sw1: media zone Bangalore\n');
  }, 60_000);

  it('refuses bad input with exit 2 and a message naming what is wrong', async () => {
    const noRtp = await cli(['media-zone', 'sw1', 'London', '--data', data]);
    expect(noRtp.code).toBe(2);
    expect(noRtp.stderr).toMatch(/^switchyard: Zone London has no RTP servers, so media for sw1 cannot go there.* \[field zoneId\]\n$/);
    const unknown = await cli(['media-zone', 'sw1', 'Atlantis', '--data', data]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^switchyard: No zone is called "Atlantis" \(zones: Bangalore, London, New York; or "auto"\)\.\n$/);
    const hostile = await cli(['media-path', '--customer', ';reboot', '--carrier', '127.0.0.4', '--data', data]);
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).toMatch(/^switchyard: Customer address: .* \[field customer\]\n$/);
    const noCarrier = await cli(['media-path', '--customer', '127.0.0.5', '--data', data]);
    expect(noCarrier.code).toBe(2);
    expect(noCarrier.stderr).toMatch(/needs --carrier ADDR or --server NAME/);

    // An RTP server whose host key is not on file: refused at once, said, and reported as its failure.
    const app = openHost({ dataDir: data, log: () => {} });
    const london = (await call(app, 'fleet:list-zones', {})).find((z) => z.name === 'London');
    await call(app, 'fleet:create-rtp', { ip: '127.0.0.6', alias: 'rtp-lon1', zoneId: london?.id ?? '' });
    await app.close();
    const started = Date.now();
    const unknownKey = await cli(['media-path', '--customer', '127.0.0.5', '--carrier', '127.0.0.4', '--json', '--data', data]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(unknownKey.code).toBe(0);
    expect(unknownKey.stderr).toMatch(
      new RegExp(`^switchyard: the host key of 127\\.0\\.0\\.6:${sshd.port} \\(ssh-ed25519 SHA256:\\S+\\) is not on file\\.`),
    );
    const m = JSON.parse(unknownKey.stdout) as MediaMeasurement;
    expect(m.zones.find((z) => z.zoneName === 'London')).toMatchObject({
      rank: null,
      note: expect.stringMatching(/^RTP server rtp-lon1 \(127\.0\.0\.6\) could not measure the (customer|carrier) .*host key/i),
    });
  }, 60_000);
});
