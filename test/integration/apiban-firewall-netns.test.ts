import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostApp } from '../../src/host/app';
import { addresses, startFakeApiban, type FakeApiban } from '../helpers/apiban-server';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { netnsSshdUnavailable, startNetnsSshd, type NetnsSshd } from '../helpers/netns-sshd';
import { fixture } from '../helpers/sshd';
import { useTempDirs } from '../helpers/temp-dir';

// The shipped APIBAN recipes (the default recipe book, no override) run for real: each "server" is
// a network namespace of this test with a real sshd inside it, so `ipset`, `iptables` and `nft`
// change a real kernel firewall — the namespace's own. The host reaches it through its ordinary
// SSH pool with host-key checks. The set is then read back inside the namespace, and a packet from
// a banned address is shown to be dropped.

const KEY = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const FLEET_IP = '45.33.10.20';
const NFT_FLEET_IP = '45.33.10.40';
const unavailable = netnsSshdUnavailable();
const tempDir = useTempDirs();
let api: FakeApiban;
let ipsetNs: NetnsSshd;
let nftNs: NetnsSshd;

beforeAll(async () => {
  if (unavailable) return;
  api = await startFakeApiban(KEY, [
    // The fleet's own addresses and non-global ones are in the feed too: they must never reach a set.
    { ipaddress: [...addresses(0, 250), FLEET_IP, NFT_FLEET_IP, '127.0.0.1', '10.0.0.1', '2a00:1450:4001::1'], id: '1700000001' },
    { ipaddress: addresses(250, 40), id: '1700000002' },
  ]);
  [ipsetNs, nftNs] = await Promise.all([startNetnsSshd(), startNetnsSshd()]);
});
afterAll(async () => {
  await api?.close();
  await Promise.all([ipsetNs?.remove(), nftNs?.remove()]);
});

async function openHostWithServers(): Promise<{ app: HostApp; ipsetId: string; nftId: string; deadId: string }> {
  const data = tempDir();
  writeFileSync(path.join(data, 'known_hosts'), `${ipsetNs.knownHostsLine}\n${nftNs.knownHostsLine}\n`);
  const app = openTestHost(data, Date.now);
  const zone = await call(app, 'fleet:create-zone', { name: 'Edge', description: '' });
  const ssh = (port: number) => ({
    host: '127.0.0.1',
    port,
    user: 'root',
    auth: 'key' as const,
    keyPath: fixture('user_ed25519'),
    jumpHost: null,
  });
  const a = await call(app, 'fleet:create-server', {
    ...draft(zone.id, { ip: FLEET_IP, alias: 'edge-ipset' }),
    ssh: ssh(ipsetNs.relayPort),
  });
  const b = await call(app, 'fleet:create-server', {
    ...draft(zone.id, { ip: NFT_FLEET_IP, alias: 'edge-nft' }),
    ssh: ssh(nftNs.relayPort),
  });
  // Nothing listens on port 1: this server fails, and must not stop the others.
  const dead = await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '45.33.10.60', alias: 'edge-dead' }), ssh: ssh(1) });
  await call(app, 'apiban:set-key', { key: KEY, baseUrl: api.baseUrl, httpHost: api.host });
  return { app, ipsetId: a.id, nftId: b.id, deadId: dead.id };
}

/** `ipset list` members as address → seconds left. */
function ipsetMembers(ns: NetnsSshd): Map<string, number> {
  const out = ns.run(['ipset', 'list', 'apiban']);
  const members = out
    .slice(out.indexOf('Members:') + 'Members:'.length)
    .trim()
    .split('\n')
    .filter((l) => l !== '');
  return new Map(
    members.map((line) => {
      const [ip = '', word, seconds] = line.trim().split(/\s+/);
      if (word !== 'timeout') throw new Error(`member without a timeout: ${line}`);
      return [ip, Number(seconds)];
    }),
  );
}

/** Whether a packet from `source` (an address put on the namespace's loopback) gets an answer there. */
function answers(ns: NetnsSshd, source: string): boolean {
  ns.run(['ip', 'addr', 'replace', `${source}/32`, 'dev', 'lo']);
  try {
    execFileSync('ip', ['netns', 'exec', ns.name, 'ping', '-n', '-c', '1', '-W', '1', '-I', source, source], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(unavailable !== null)('APIBAN applied to a real firewall in a network namespace', () => {
  it('ipset: the set holds the banned addresses with their timeout, one drop rule after three applies, no fleet address, and it drops', async () => {
    const { app, ipsetId, deadId } = await openHostWithServers();
    try {
      expect(await call(app, 'apiban:sync', {})).toMatchObject({ outcome: 'complete', added: 291, dropped: { fleet: 2, notGlobal: 2 } });
      for (let i = 0; i < 3; i++) {
        const { results } = await call(app, 'apiban:apply', { serverIds: [ipsetId, deadId], method: 'ipset' });
        expect(results[0]).toMatchObject({ serverId: ipsetId, ok: true, method: 'ipset', entries: 290 });
        expect(results[0]?.message).toContain('1 IPv6 left out');
        expect(results[1]).toMatchObject({ serverId: deadId, ok: false, entries: null });
      }
      const members = ipsetMembers(ipsetNs);
      expect(members.size).toBe(290);
      expect([...members.keys()].sort()).toEqual(addresses(0, 290).sort());
      for (const seconds of members.values()) expect(seconds).toBeGreaterThan(604_000);
      expect(members.has(FLEET_IP) || members.has(NFT_FLEET_IP) || members.has('127.0.0.1')).toBe(false);
      const rules = ipsetNs
        .run(['iptables', '-S', 'INPUT'])
        .split('\n')
        .filter((l) => l.includes('apiban'));
      expect(rules).toEqual(['-A INPUT -m set --match-set apiban src -j DROP']);
      // The swap leaves no temporary set behind.
      expect(ipsetNs.run(['ipset', 'list', '-name']).trim().split('\n')).toEqual(['apiban']);

      const [banned = ''] = addresses(5, 1);
      expect(answers(ipsetNs, '45.33.99.1')).toBe(true);
      expect(answers(ipsetNs, banned)).toBe(false);

      // Allow-listed afterwards: it leaves the stored list at once and the server's set at the next apply.
      await call(app, 'apiban:add-allowed', { entry: banned, note: 'customer' });
      const { results } = await call(app, 'apiban:apply', { serverIds: [ipsetId], method: 'ipset' });
      expect(results[0]).toMatchObject({ ok: true, entries: 289 });
      expect(ipsetMembers(ipsetNs).has(banned)).toBe(false);
      expect(answers(ipsetNs, banned)).toBe(true);

      const status = await call(app, 'apiban:status', {});
      expect(status.applied.find((a) => a.serverId === ipsetId)).toMatchObject({ ok: true, method: 'ipset', entries: 289 });
      expect(status.applied.find((a) => a.serverId === deadId)).toMatchObject({ ok: false, entries: null });
    } finally {
      await app.close();
    }
  });

  it('nftables: one table, set and drop rule after three applies, every element with its timeout, no fleet address, and it drops', async () => {
    const { app, nftId } = await openHostWithServers();
    try {
      await call(app, 'apiban:sync', {});
      for (let i = 0; i < 3; i++) {
        const { results } = await call(app, 'apiban:apply', { serverIds: [nftId], method: 'nftables' });
        expect(results[0]).toMatchObject({ serverId: nftId, ok: true, method: 'nftables', entries: 290 });
      }
      const ruleset = JSON.parse(nftNs.run(['nft', '-j', 'list', 'ruleset'])) as { nftables: Record<string, unknown>[] };
      const items = ruleset.nftables;
      expect(items.filter((i) => 'table' in i)).toHaveLength(1);
      const sets = items.flatMap((i) =>
        'set' in i ? [i['set'] as { name: string; timeout?: number; flags?: string[]; elem?: unknown[] }] : [],
      );
      expect(sets).toHaveLength(1);
      expect(sets[0]).toMatchObject({ name: 'apiban', timeout: 604_800 });
      const rules = items.flatMap((i) => ('rule' in i ? [i['rule']] : []));
      expect(rules).toHaveLength(1);
      const listing = nftNs.run(['nft', 'list', 'set', 'inet', 'apiban', 'apiban']);
      const elements = [...listing.matchAll(/(\d+\.\d+\.\d+\.\d+) expires (\S+?)[,\s]/g)];
      expect(elements).toHaveLength(290);
      expect(elements.every(([, , expires]) => (expires ?? '').startsWith('6d23h'))).toBe(true);
      expect(elements.map(([, ip]) => ip).sort()).toEqual(addresses(0, 290).sort());
      expect(listing).not.toContain(FLEET_IP);
      expect(listing).not.toContain(NFT_FLEET_IP);
      expect(nftNs.run(['nft', 'list', 'chain', 'inet', 'apiban', 'input'])).toContain('ip saddr @apiban drop');

      const [banned = ''] = addresses(7, 1);
      expect(answers(nftNs, '45.33.99.2')).toBe(true);
      expect(answers(nftNs, banned)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
