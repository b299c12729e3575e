import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostApp } from '../../src/host/app';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { addresses, startFakeApiban, type FakeApiban } from '../helpers/apiban-server';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { fixture as sshFixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';

// Applying the APIBAN list and reading registrations over SSH against a real OpenSSH sshd. The
// test sshd has no kernel firewall rights, so the recipe's `ipset` and `iptables` are test scripts
// on the server that log every call and keep the set in files; `kamcmd` is a script printing a
// `ul.dump` recorded from Kamailio 5.6.3. Everything else — the host, its SSH pool with host-key
// checks, the recipe book override, the shell script of the shipped recipe — is the real thing.

const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
let sshd: Sshd;
let api: FakeApiban;
let dir: string;
let bin: string;
let state: string;

const script = (name: string, body: string): string => {
  const file = path.join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
};

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519'] });
  api = await startFakeApiban(KEY, [
    { ipaddress: [...addresses(0, 250), '2001:db8::66'], id: '1700000001' },
    { ipaddress: addresses(250, 40), id: '1700000002' },
  ]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-apiban-ssh-'));
  bin = path.join(sshd.workDir, 'bin');
  state = path.join(sshd.workDir, 'state');
  mkdirSync(bin, { mode: 0o777 });
  mkdirSync(state, { mode: 0o777 });
  chmodSync(state, 0o777);
  script('ipset', `S=${state}
echo "ipset $*" >> "$S/log"
case "$1" in
  create) [ "$3" = hash:ip ] && [ "$6" = timeout ] || exit 2; touch "$S/set-$2" ;;
  -exist) [ "$2" = restore ] || exit 2
    while read -r cmd set ip opt ttl; do
      echo "restore: $cmd $set $ip $opt $ttl" >> "$S/log"
      [ "$cmd" = add ] && [ "$opt" = timeout ] && [ -e "$S/set-$set" ] || exit 3
      echo "$ip" >> "$S/set-$set"
    done
    for f in "$S"/set-*; do sort -u -o "$f" "$f"; done ;;
  list) printf 'Name: %s\\nType: hash:ip\\nNumber of entries: %s\\n' "$2" "$(wc -l < "$S/set-$2")" ;;
  *) exit 2 ;;
esac`);
  script('iptables', `S=${state}
echo "iptables $*" >> "$S/log"
case "$1" in
  -C) [ -e "$S/rule" ] ;;
  -I) echo "$*" > "$S/rule" ;;
  *) exit 2 ;;
esac`);
  copyFileSync(new URL('../fixtures/kamailio/ul-dump-recorded-5.6.3.txt', import.meta.url), path.join(bin, 'ul-dump.txt'));
  chmodSync(path.join(bin, 'ul-dump.txt'), 0o644);
  script('kamcmd', `[ "$1" = ul.dump ] || { echo "error: 500 - command $1 not found"; exit 1; }\ncat ${bin}/ul-dump.txt`);
});
afterAll(async () => {
  await api?.close();
  await sshd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A host whose known_hosts already holds the test sshd's key and whose recipe book points at the scripts. */
async function openHostWithServers(): Promise<{ app: HostApp; serverId: string; deadId: string }> {
  const data = mkdtempSync(path.join(dir, 'data-'));
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(path.join(data, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`);
  const book = defaultRecipeBook();
  if (!book.apiban || !book.registrations) throw new Error('the shipped book lost its apiban/registrations entries');
  book.apiban.ipset.defaults = { ...book.apiban.ipset.defaults, ipset: path.join(bin, 'ipset'), iptables: path.join(bin, 'iptables') };
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

describe('APIBAN applied over SSH', () => {
  it('creates the set, adds every IPv4 address with a timeout, inserts the drop rule once, and counts the entries', async () => {
    const { app, serverId, deadId } = await openHostWithServers();
    try {
      await call(app, 'apiban:set-key', { key: KEY, baseUrl: api.baseUrl });
      expect(await call(app, 'apiban:sync', {})).toMatchObject({ outcome: 'complete', added: 291 });

      const first = await call(app, 'apiban:apply', { serverIds: [serverId, deadId] });
      expect(first.results[0]).toMatchObject({ serverId, ok: true, method: 'ipset', entries: 290 });
      expect(first.results[0]?.message).toContain('1 IPv6 left out');
      expect(first.results[1]).toMatchObject({ serverId: deadId, ok: false, entries: null });
      const second = await call(app, 'apiban:apply', { serverIds: [serverId] });
      expect(second.results[0]).toMatchObject({ ok: true, entries: 290 });

      const log = readFileSync(path.join(state, 'log'), 'utf8').split('\n');
      expect(log.filter((l) => l.startsWith('ipset create'))).toEqual([
        'ipset create apiban hash:ip family inet timeout 604800 -exist',
        'ipset create apiban hash:ip family inet timeout 604800 -exist',
      ]);
      expect(log.filter((l) => l.startsWith('iptables -I'))).toEqual(['iptables -I INPUT -m set --match-set apiban src -j DROP']);
      expect(log.filter((l) => l.startsWith('iptables -C'))).toHaveLength(2);
      expect(log).toContain('restore: add apiban 198.18.0.0 timeout 604800');
      expect(log.some((l) => l.includes('2001:db8::66'))).toBe(false);

      const status = await call(app, 'apiban:status', {});
      expect(status.applied.find((a) => a.serverId === serverId)).toMatchObject({ ok: true, entries: 290 });
      expect(status.applied.find((a) => a.serverId === deadId)).toMatchObject({ ok: false });
    } finally {
      await app.close();
    }
  });
});

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
