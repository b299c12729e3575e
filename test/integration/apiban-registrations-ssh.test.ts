import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostApp } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { fixture as sshFixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';

// Reading registrations over SSH against a real OpenSSH sshd: `kamcmd` is a script printing a
// `ul.dump` recorded from Kamailio 5.6.3. Everything else — the host, its SSH pool with host-key
// checks, the recipe book override — is the real thing. (APIBAN's firewall recipes run for real in
// a network namespace: apiban-firewall-netns.test.ts.)

let sshd: Sshd;
let dir: string;
let bin: string;

const script = (name: string, body: string): string => {
  const file = path.join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
};

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519'] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-apiban-ssh-'));
  bin = path.join(sshd.workDir, 'bin');
  mkdirSync(bin, { mode: 0o777 });
  copyFileSync(new URL('../fixtures/kamailio/ul-dump-recorded-5.6.3.txt', import.meta.url), path.join(bin, 'ul-dump.txt'));
  chmodSync(path.join(bin, 'ul-dump.txt'), 0o644);
  script('kamcmd', `[ "$1" = ul.dump ] || { echo "error: 500 - command $1 not found"; exit 1; }\ncat ${bin}/ul-dump.txt`);
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A host whose known_hosts already holds the test sshd's key and whose recipe book points at the kamcmd script. */
async function openHostWithServers(): Promise<{ app: HostApp; serverId: string; deadId: string }> {
  const data = mkdtempSync(path.join(dir, 'data-'));
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(path.join(data, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`);
  const book = defaultRecipeBook();
  if (!book.registrations) throw new Error('the shipped book lost its registrations entry');
  book.registrations.defaults = { kamcmd: path.join(bin, 'kamcmd') };
  writeFileSync(path.join(data, 'recipes.json'), JSON.stringify(book));
  const app = openTestHost(data, Date.now);
  const zone = await call(app, 'fleet:create-zone', { name: 'Lab', description: '' });
  const ssh = { host: null, port: sshd.port, user: TEST_USER, auth: 'key' as const, keyPath: sshFixture('user_ed25519'), jumpHost: null };
  const server = await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '127.0.0.1', alias: 'lab-sw1' }), ssh });
  // Nothing listens on port 1: this server fails, and must not stop the other one.
  const dead = await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '127.0.0.2', alias: 'lab-sw2' }), ssh: { ...ssh, host: '127.0.0.1', port: 1 } });
  return { app, serverId: server.id, deadId: dead.id };
}

describe('registrations over SSH', () => {
  it('reads and parses ul.dump through the recipe, with what sharing means for the server', async () => {
    const { app, serverId } = await openHostWithServers();
    try {
      const result = await call(app, 'registrations:for-server', { serverId });
      expect(result).toMatchObject({ aorCount: 3, contactCount: 3, command: `${path.join(bin, 'kamcmd')} ul.dump`, truncated: false });
      expect(result.contacts.map((c) => c.aor).sort()).toEqual(['1001', '1002', 'alice']);
      expect(result.sharing.mode).toBe('array-isolated');
      expect(result.keepalive).toMatchObject({ intervalSec: 1, uacPing: true, pingsPerSecond: 3, advice: null });
    } finally {
      await app.close();
    }
  });
});
