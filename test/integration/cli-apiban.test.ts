// `switchyard apiban` as a user runs it: the schedule, the allow-list and the status, against the
// demo fleet in a folder of its own; a sync with the key file `serve` uses, against a loopback APIBAN.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { APIBAN_KEY_SECRET } from '../../src/services/apiban/apiban-service';
import { ensureSecretsKey, openKeyFileSecretStore, readSecretsKey, SECRETS_FILE } from '../../src/services/secrets/key-file-secret-store';
import { openStore } from '../../src/services/store/store';
import { addresses, startFakeApiban } from '../helpers/apiban-server';
import { runCli, type CliResult } from '../helpers/cli';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const DEMO = path.resolve('resources/demo-fleet.json');
const KEY = 'feedbeeffeedbeeffeedbeeffeedbeef';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
});

async function inProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

async function demoFleet(): Promise<{ data: string; aliases: string[]; run: (...args: string[]) => Promise<CliResult> }> {
  const data = tempDir();
  expect((await inProcess(['fleet', 'import', DEMO, '--data', data])).code).toBe(0);
  const store = openStore({ file: path.join(data, 'switchyard.db') });
  const aliases = store.servers.list().map((s) => s.alias);
  store.close();
  return { data, aliases, run: (...args) => inProcess([...args, '--data', data]) };
}

describe('switchyard apiban', () => {
  it('sets the schedule and the servers it applies to, refusing bad values by their flag', async () => {
    const { run, aliases } = await demoFleet();
    const [a = '', b = ''] = aliases;
    const set = await run('apiban', 'schedule', '--every', '30m', '--apply-to', `${a},${b}`, '--method', 'nftables');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Schedule: on, every 30m');
    expect(set.stdout).toContain(`${a} (`);
    expect(set.stdout).toContain('nftables, after the first sync');

    const json = await run('apiban', 'status', '--json');
    const status = JSON.parse(json.stdout) as {
      keySet: boolean | null;
      schedule: { intervalSec: number; running: boolean; targets: { method: string }[] };
    };
    expect(status).toMatchObject({ keySet: null, schedule: { intervalSec: 1800, running: false } });
    expect(status.schedule.targets.map((t) => t.method)).toEqual(['nftables', 'nftables']);

    expect(await run('apiban', 'schedule', '--every', '10s')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--every: "10s" is not a duration from 1m to 7d'),
    });
    expect(await run('apiban', 'schedule', '--apply-to', 'no-such-server')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--apply-to: no server with alias or IP "no-such-server"'),
    });
    expect(await run('apiban', 'schedule', '--method', 'pf')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--method: "pf" is not ipset or nftables'),
    });
    const off = await run('apiban', 'schedule', '--off', '--apply-to', 'none');
    expect(off.stdout).toContain('Schedule: off');
    expect(off.stdout).toContain('Next sync: none (the schedule is off)');
  });

  it('keeps the allow-list, refusing what is not an address or a block', async () => {
    const { run } = await demoFleet();
    expect(await run('apiban', 'allow', 'add', '203.0.113.9/24', '--note', 'carrier A')).toMatchObject({
      code: 0,
      stdout: '203.0.113.0/24 is never banned now.\n',
    });
    expect(await run('apiban', 'allow', 'add', 'carrier.example')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('"carrier.example" is not an address or a CIDR block'),
    });
    const list = await run('apiban', 'allow');
    expect(list.stdout).toMatch(/^ENTRY\s+ADDED\s+NOTE\n203\.0\.113\.0\/24\s+\S+ \S+ \S+\s+carrier A\n$/);
    expect(await run('apiban', 'allow', 'remove', '203.0.113.0/24')).toMatchObject({ code: 0 });
    expect((await run('apiban', 'allow', 'list')).stdout).toBe('The allow-list is empty.\n');
  });

  it('syncs with the key file serve uses, and shows the result in the status', async () => {
    const { data, run } = await demoFleet();
    const api = await startFakeApiban(KEY, [{ ipaddress: [...addresses(0, 4), '10.9.9.9', 'junk'], id: '1700000001' }]);
    cleanups.push(() => api.close());
    const keyFile = ensureSecretsKey(path.join(tempDir(), 'secrets.key'));
    const secrets = openKeyFileSecretStore({ file: path.join(data, SECRETS_FILE), key: readSecretsKey(keyFile) });
    secrets.set(APIBAN_KEY_SECRET, KEY);
    const store = openStore({ file: path.join(data, 'switchyard.db') });
    store.apiban.setHttpHost(api.host);
    store.apiban.setBaseUrl(api.baseUrl);
    store.close();

    expect(await run('apiban', 'sync')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--secrets-key: the APIBAN key is in the secret store'),
    });
    const synced = await run('apiban', 'sync', '--secrets-key', keyFile);
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('Up to date: 4 new');
    expect(synced.stdout).toContain('1 not an address');

    const status = await runCli(['apiban', 'status', '--secrets-key', keyFile, '--data', data], { env: { TZ: 'Asia/Kolkata' } });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('APIBAN: 4 banned addresses; key set;');
    expect(status.stdout).toContain(`(plain http allowed for ${api.host})`);
    expect(status.stdout).toMatch(/Last sync: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+5:30 \((now|\d+s ago)\), complete/);
    // Read within the second of the sync, the wait is still a whole hour.
    expect(status.stdout).toMatch(/Next sync: .* UTC\+5:30 \(in (1h|59m \d+s)\)/);
    expect(status.stdout).toContain('Dropped by the last sync: 1 not an address, 1 not global');
  });
});
