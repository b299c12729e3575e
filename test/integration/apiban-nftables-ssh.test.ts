import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRecipeBook } from '../../src/services/actions/recipes';
import { addresses, startFakeApiban, type FakeApiban } from '../helpers/apiban-server';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { fixture as sshFixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';

// The shipped nftables recipe for APIBAN, run through the host against a real OpenSSH sshd. The
// test sshd has no kernel firewall rights, so `nft` is a test script on the server that logs its
// argv and every line it reads on stdin, and keeps the table, set, chain, rules and elements in
// files, printing `list` output in nft's own layout. The recipe's shell script is the shipped one.

const KEY = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
let sshd: Sshd;
let api: FakeApiban;
let dir: string;
let bin: string;
let state: string;

beforeAll(async () => {
  sshd = await startSshd({ hostKeys: ['ed25519'] });
  api = await startFakeApiban(KEY, [
    { ipaddress: [...addresses(0, 250), '2001:db8::66'], id: '1700000001' },
    { ipaddress: addresses(250, 40), id: '1700000002' },
  ]);
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-nft-'));
  bin = path.join(sshd.workDir, 'nft-bin');
  state = path.join(sshd.workDir, 'nft-state');
  mkdirSync(bin, { mode: 0o777 });
  mkdirSync(state, { mode: 0o777 });
  chmodSync(state, 0o777);
  const nft = path.join(bin, 'nft');
  writeFileSync(
    nft,
    `#!/bin/sh
S=${state}
echo "nft $*" >> "$S/log"
case "$1 $2" in
  "add table") [ "$3" = inet ] || exit 2; touch "$S/table-$4" ;;
  "add set") [ -e "$S/table-$4" ] || { echo "Error: No such file or directory" >&2; exit 1; }
    case "$6" in *"type ipv4_addr;"*"flags timeout;"*"timeout 604800s;"*) ;; *) echo "bad set spec: $6" >&2; exit 2 ;; esac
    touch "$S/set-$5" "$S/elements-$5" ;;
  "add chain") [ -e "$S/table-$4" ] || exit 1
    case "$6" in *"hook input"*) touch "$S/chain-$5"; touch "$S/rules-$5" ;; *) exit 2 ;; esac ;;
  "list chain") [ -e "$S/chain-$5" ] || exit 1
    printf 'table inet %s {\\n\\tchain %s {\\n\\t\\ttype filter hook input priority -10; policy accept;\\n' "$4" "$5"
    sed 's/^/\\t\\t/' "$S/rules-$5"
    printf '\\t}\\n}\\n' ;;
  "add rule") [ -e "$S/chain-$5" ] || exit 1; T=$5; shift 5; echo "$*" >> "$S/rules-$T" ;;
  "list set") [ -e "$S/set-$5" ] || exit 1
    printf 'table inet %s {\\n\\tset %s {\\n\\t\\ttype ipv4_addr\\n\\t\\tflags timeout\\n\\t\\ttimeout 7d\\n\\t\\telements = { ' "$4" "$5"
    sed 's/$/ timeout 7d expires 6d23h59m,/' "$S/elements-$5" | tr '\\n' ' '
    printf '}\\n\\t}\\n}\\n' ;;
  "-f -") while IFS= read -r line; do
      echo "stdin: $line" >> "$S/log"
      set -- $line
      [ "$1 $2 $3" = "add element inet" ] && [ "$6 $8 $9 \${10}" = "{ timeout 604800s }" ] && [ -e "$S/set-$5" ] || { echo "Error: syntax error: $line" >&2; exit 1; }
      echo "$7" >> "$S/elements-$5"
    done
    sort -u -o "$S/elements-apiban" "$S/elements-apiban" ;;
  *) echo "Error: unexpected nft $*" >&2; exit 2 ;;
esac
`,
  );
  chmodSync(nft, 0o755);
});
afterAll(async () => {
  await api?.close();
  await sshd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('APIBAN applied as an nftables set', () => {
  it('creates one table, set and drop rule however often it is applied, adds every IPv4 address with a timeout, and counts entries per server', async () => {
    const data = mkdtempSync(path.join(dir, 'data-'));
    const { keyType, key } = hostPublicKey('ed25519');
    writeFileSync(path.join(data, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`);
    const book = defaultRecipeBook();
    if (!book.apiban) throw new Error('the shipped book lost its apiban entry');
    book.apiban.nftables.defaults = { ...book.apiban.nftables.defaults, nft: path.join(bin, 'nft') };
    writeFileSync(path.join(data, 'recipes.json'), JSON.stringify(book));
    const app = openTestHost(data, Date.now);
    try {
      const zone = await call(app, 'fleet:create-zone', { name: 'Lab', description: '' });
      const ssh = { host: '127.0.0.1', port: sshd.port, user: TEST_USER, auth: 'key' as const, keyPath: sshFixture('user_ed25519'), jumpHost: null };
      const live = await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '127.0.0.1', alias: 'nft-sw1' }), ssh });
      const dead = await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '127.0.0.2', alias: 'nft-sw2' }), ssh: { ...ssh, port: 1 } });
      await call(app, 'apiban:set-key', { key: KEY, baseUrl: api.baseUrl });
      expect(await call(app, 'apiban:sync', {})).toMatchObject({ outcome: 'complete', added: 291 });

      const first = await call(app, 'apiban:apply', { serverIds: [live.id, dead.id], method: 'nftables' });
      expect(first.results[0]).toMatchObject({ serverId: live.id, ok: true, method: 'nftables', entries: 290 });
      expect(first.results[0]?.message).toContain('1 IPv6 left out');
      expect(first.results[1]).toMatchObject({ serverId: dead.id, ok: false, entries: null });
      const second = await call(app, 'apiban:apply', { serverIds: [live.id], method: 'nftables' });
      expect(second.results[0]).toMatchObject({ ok: true, entries: 290 });

      // Idempotent: the second run finds the rule and adds none; one set, one drop rule.
      const log = readFileSync(path.join(state, 'log'), 'utf8').split('\n');
      expect(log.filter((l) => l.startsWith('nft add set'))).toEqual([
        'nft add set inet apiban apiban { type ipv4_addr; flags timeout; timeout 604800s; }',
        'nft add set inet apiban apiban { type ipv4_addr; flags timeout; timeout 604800s; }',
      ]);
      expect(log.filter((l) => l.startsWith('nft add rule'))).toEqual(['nft add rule inet apiban input ip saddr @apiban drop']);
      expect(readFileSync(path.join(state, 'rules-input'), 'utf8')).toBe('ip saddr @apiban drop\n');
      expect(log.filter((l) => l.startsWith('nft list chain'))).toHaveLength(2);
      expect(log).toContain('stdin: add element inet apiban apiban { 198.18.0.0 timeout 604800s }');
      expect(log.filter((l) => l.startsWith('stdin: '))).toHaveLength(580);
      expect(log.some((l) => l.includes('2001:db8::66'))).toBe(false);
      expect(readFileSync(path.join(state, 'elements-apiban'), 'utf8').trim().split('\n')).toHaveLength(290);

      const status = await call(app, 'apiban:status', {});
      expect(status.applied.find((a) => a.serverId === live.id)).toMatchObject({ ok: true, method: 'nftables', entries: 290 });
      expect(status.applied.find((a) => a.serverId === dead.id)).toMatchObject({ ok: false, entries: null });
    } finally {
      await app.close();
    }
  });
});
