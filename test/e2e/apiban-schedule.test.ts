import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { addresses, startFakeApiban, type FakeApiban } from '../helpers/apiban-server';
import { callHost, openSession, type Session } from './fixtures';

// The APIBAN page against `switchyard serve` and a loopback APIBAN: plain http refused until the
// test host is named, the first sync starting by itself once the key is set (nobody presses
// anything), a one-minute interval set on the page and planned from that sync (the interval
// elapsing is test/integration/apiban-schedule.test.ts, on a manual clock), what the feed
// listed that must never be banned shown as dropped, the allow-list editor, and a server on the
// schedule that cannot be reached shown as failed. With SWITCHYARD_SHOTS=DIR set, each state is
// also saved there as a screenshot.

const SHOTS = process.env['SWITCHYARD_SHOTS'];
const KEY = 'e2ekey0123456789abcdef';
let s: Session | null = null;
let api: FakeApiban;

beforeAll(async () => {
  api = await startFakeApiban(KEY, [
    { ipaddress: [...addresses(0, 250), '127.0.0.1', '10.0.0.1', '255.255.255.255', 'junk'], id: '1700000001' },
    { ipaddress: addresses(250, 20), id: '1700000002' },
  ]);
});
afterAll(async () => {
  await api.close();
});
afterEach(async () => {
  await s?.close();
  s = null;
});

async function shot(name: string): Promise<void> {
  if (!SHOTS || !s) return;
  mkdirSync(SHOTS, { recursive: true });
  await s.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

describe('APIBAN schedule', () => {
  test(
    'syncs by itself once the key is set, plans a one-minute schedule, shows what it dropped, keeps an allow-list, and shows a failing server',
    { timeout: 180_000 },
    async () => {
      s = await openSession({ viewport: { width: 1600, height: 900 } });
      const session = s;
      const zone = await callHost<{ id: string }>(session.host, 'fleet:create-zone', { name: 'Edge', description: '' });
      const server = await callHost<{ id: string }>(session.host, 'fleet:create-server', {
        // Stopped: its address is a public one (the feed lists it), and the console never probes it.
        ip: '45.33.10.20',
        alias: 'edge-sw1',
        type: 'switch',
        clusterId: null,
        zoneId: zone.data?.id,
        channels: 500,
        cps: 50,
        expiresAt: null,
        adminState: 'stopped',
        config: {
          interconnect: { terminationIngress: true, terminationEgress: true, originationIngress: false, originationEgress: false },
          uacAuth: false,
          webrtcTls: false,
          fqdn: null,
          autoUpgrade: false,
          disableUacPing: false,
          uacLocationSharing: false,
          tlsInternals: false,
          restrictDirect: false,
          tcpSipTrace: false,
          anyReg: false,
          processingZone: null,
          ports: { udp: 5060, tcp: 5060, tls: 5061 },
          capacityFailover: { enabled: false, targetId: null },
        },
        // Nothing listens on port 1: the scheduled apply to this server fails.
        ssh: { host: '127.0.0.1', port: 1, user: 'root', auth: 'agent', keyPath: null, jumpHost: null },
      });
      expect(server.ok).toBe(true);

      await session.open('#/apiban');
      const page = session.page;
      await expect.poll(() => page.locator('[data-testid="apiban-key-state"]').textContent()).toBe('not set');
      await expect.poll(() => page.locator('[data-testid="apiban-next-sync"]').textContent()).toBe('when a key is set');

      // Plain http is refused until the test host is named; nothing is kept meanwhile.
      await page.locator('#apiban-key-input').fill(KEY);
      await page.locator('#apiban-base').fill(api.baseUrl);
      await page.locator('[data-testid="apiban-key"] button[type="submit"]').click();
      await expect.poll(() => page.locator('[data-field="apiban-base"] .field-error').textContent()).toContain('unencrypted');
      expect(await page.locator('[data-testid="apiban-key-state"]').textContent()).toBe('not set');
      expect(api.requests).toEqual([]);
      await page.locator('#apiban-http-host').fill(api.host);
      await page.locator('[data-testid="apiban-key"] button[type="submit"]').click();
      await expect.poll(() => page.locator('[data-testid="apiban-key-state"]').textContent()).toContain('set (kept');

      // The first sync starts by itself.
      await expect.poll(() => page.locator('[data-testid="apiban-count"]').textContent(), { timeout: 30_000 }).toBe('270 banned addresses');
      const dropped = page.locator('[data-testid="apiban-dropped"]');
      await expect
        .poll(() => dropped.textContent())
        .toMatch(/1 not an address\s*·\s*3 not global\s*·\s*0 fleet's own\s*·\s*0 allow-listed/);
      await expect.poll(() => page.locator('[data-testid="apiban-last-sync"]').textContent()).toContain('complete');

      // A one-minute interval is planned from the last sync (the interval itself elapsing is the
      // scheduler's integration test, on a manual clock); new bans waiting are fetched by Sync now.
      await page.locator('#apiban-interval').selectOption('60');
      await expect.poll(() => page.locator('[data-testid="apiban-next-sync"]').textContent()).toMatch(/^in (<1|1) min$/);
      api.setPages([
        { ipaddress: addresses(0, 250), id: '1700000001' },
        { ipaddress: addresses(250, 20), id: '1700000002' },
        { ipaddress: [...addresses(270, 5), '45.33.10.20'], id: '1700000003' },
      ]);
      await shot('apiban-schedule');
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => page.locator('[data-testid="apiban-count"]').textContent(), { timeout: 30_000 }).toBe('275 banned addresses');
      // The fleet's own address in the feed was dropped, not stored.
      await expect.poll(() => dropped.textContent()).toMatch(/1\s*fleet's own/);
      await expect.poll(() => page.locator('[data-testid="apiban-last"]').textContent()).toContain('5 new');

      // The allow-list: a bad entry is refused beside the field; a good one takes its address out of the list.
      const [first = ''] = addresses(0, 1);
      await page.locator('#apiban-allow-entry').fill('carrier.example');
      await page.locator('[data-testid="apiban-allow"] button[type="submit"]').click();
      await expect
        .poll(() => page.locator('[data-field="apiban-allow-entry"] .field-error').textContent())
        .toContain('"carrier.example" is not an address or a CIDR block');
      await page.locator('#apiban-allow-entry').fill(first);
      await page.locator('#apiban-allow-note').fill('customer PBX');
      await page.locator('[data-testid="apiban-allow"] button[type="submit"]').click();
      await expect
        .poll(() => page.locator(`[data-testid="apiban-allow-table"] tr[data-entry="${first}"]`).textContent())
        .toContain('customer PBX');
      await expect.poll(() => page.locator('[data-testid="apiban-count"]').textContent()).toBe('274 banned addresses');

      // A server put on the schedule is applied to at once; this one cannot be reached, and says so.
      const row = page.locator('[data-testid="apiban-servers"] tr[data-alias="edge-sw1"]');
      await row.locator('[data-testid="apiban-target"]').selectOption('ipset');
      await expect.poll(() => row.locator('[data-testid="apiban-result"]').textContent(), { timeout: 30_000 }).toMatch(/^✕ /);
      await expect.poll(() => page.locator('[data-testid="apiban-failing"]').textContent()).toContain('1 server failed');
      await expect.poll(() => page.locator('[data-testid="apiban-last-run"]').textContent()).toContain('failed on 1 of 1');
      await shot('apiban-failing-server');
    },
  );
});
