import { afterEach, describe, expect, it } from 'vitest';
import type { HostApp } from '../../src/host/app';
import { addresses, startFakeApiban, type FakeApiban } from '../helpers/apiban-server';
import { call, draft, openTestHost } from '../helpers/fleet-fixtures';
import { useTempDirs } from '../helpers/temp-dir';

// A feed that lists what must never be banned — loopback, private, broadcast, multicast,
// link-local, 0.0.0.0, documentation ranges, the fleet's own servers (by IP, SSH host and jump
// host), its RTP servers, the allow-list — and entries that are not addresses at all. Through the
// host's contract, as the console calls it: nothing of that is stored, and each is counted.

const KEY = 'f00dfacecafe0123456789abcdef0123';
const tempDir = useTempDirs();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const NOT_GLOBAL = [
  '0.0.0.0',
  '127.0.0.1',
  '10.1.2.3',
  '172.16.5.5',
  '192.168.1.1',
  '255.255.255.255',
  '224.0.0.5',
  '169.254.1.1',
  '100.64.1.1',
  '192.0.2.1',
  '203.0.113.9',
  '::1',
  'fe80::1',
  '2001:db8::7',
];
const FLEET = ['45.33.10.20', '45.33.10.21', '45.33.10.22', '45.33.10.30'];
const ALLOWED = ['91.200.12.50', '91.200.13.7'];
const MALFORMED: unknown[] = ['not-an-ip', '999.1.1.1', 42, '1.2.3.4/24'];
const GOOD = addresses(0, 5);

async function setup(): Promise<{ app: HostApp; api: FakeApiban; zoneId: string }> {
  const api = await startFakeApiban(KEY, [
    { ipaddress: [...NOT_GLOBAL, ...FLEET, ...GOOD.slice(0, 3)], id: '1700000001' },
    { ipaddress: [...ALLOWED, ...(MALFORMED as string[]), ...GOOD.slice(3)], id: '1700000002' },
  ]);
  const app = openTestHost(tempDir());
  cleanups.push(
    () => api.close(),
    () => app.close(),
  );
  const zone = await call(app, 'fleet:create-zone', { name: 'Edge', description: '' });
  const ssh = { host: '45.33.10.21', port: 22, user: 'root', auth: 'agent' as const, keyPath: null, jumpHost: 'ops@45.33.10.22:2222' };
  await call(app, 'fleet:create-server', { ...draft(zone.id, { ip: '45.33.10.20', alias: 'edge-sw1' }), ssh });
  await call(app, 'fleet:create-rtp', { ip: '45.33.10.30', alias: 'edge-rtp1', zoneId: zone.id });
  await call(app, 'apiban:add-allowed', { entry: '91.200.12.0/24', note: 'carrier A' });
  await call(app, 'apiban:add-allowed', { entry: '91.200.13.7', note: 'NOC VPN' });
  await call(app, 'apiban:set-key', { key: KEY, baseUrl: api.baseUrl, httpHost: api.host });
  return { app, api, zoneId: zone.id };
}

describe('an APIBAN feed that lists what must not be banned', () => {
  it('stores none of it, counts each kind, and quotes malformed entries with the page they were on', async () => {
    const { app } = await setup();
    const result = await call(app, 'apiban:sync', {});
    expect(result).toMatchObject({
      outcome: 'complete',
      pages: 2,
      added: 5,
      dropped: { malformed: 4, notGlobal: NOT_GLOBAL.length, fleet: 4, allowListed: 2 },
    });
    expect(result.message).toContain('"not-an-ip" on the page from ID 1700000001');
    expect(result.message).toContain('"42" on the page from ID 1700000001');
    expect(result.message).toContain(`${NOT_GLOBAL.length} not global`);
    expect(result.message).toContain("4 of the fleet's own");
    const list = await call(app, 'apiban:list', { limit: 100 });
    expect(list.rows.map((r) => r.ip).sort()).toEqual([...GOOD].sort());
    const status = await call(app, 'apiban:status', {});
    expect(status.dropped).toMatchObject({ malformed: 4, notGlobal: NOT_GLOBAL.length, fleet: 4, allowListed: 2 });
    expect(status.dropped?.samples[0]).toContain('not-an-ip');
    expect(status.lastMessage).toContain('Dropped before storing');
  });

  it('removes an address as soon as it is allow-listed, and one that became a fleet server at the next sync', async () => {
    const { app, zoneId } = await setup();
    await call(app, 'apiban:sync', {});
    const [first, second] = GOOD as [string, string];
    expect(await call(app, 'apiban:add-allowed', { entry: `${first}/32`, note: '' })).toMatchObject({
      entry: { entry: first },
      removed: 1,
    });
    await call(app, 'fleet:create-server', draft(zoneId, { ip: second, alias: 'edge-sw2' }));
    await call(app, 'apiban:sync', {});
    const left = (await call(app, 'apiban:list', { limit: 100 })).rows.map((r) => r.ip);
    expect(left).not.toContain(first);
    expect(left).not.toContain(second);
    expect(left).toHaveLength(3);
    expect((await call(app, 'apiban:list-allowed', {})).map((a) => a.entry)).toEqual([first, '91.200.12.0/24', '91.200.13.7']);
  });

  it('refuses an allow-list entry that is not an address or block, naming it', async () => {
    const { app } = await setup();
    const refused = await app.dispatch('apiban:add-allowed', { entry: 'carrier-a.example', note: '' });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        field: 'entry',
        message: expect.stringContaining('"carrier-a.example" is not an address or a CIDR block'),
      },
    });
    expect(await app.dispatch('apiban:remove-allowed', { entry: '8.8.8.8' })).toMatchObject({
      ok: false,
      error: { field: 'entry', message: '8.8.8.8 is not on the allow-list.' },
    });
  });
});
