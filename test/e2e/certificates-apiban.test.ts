import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { addresses, startFakeApiban, type FakeApiban } from '../helpers/apiban-server';
import { makeTestCa, type TestLeaf } from '../helpers/test-certs';
import { callHost, openSession, type Session } from './fixtures';

// The Certificates page (import by paste), a server's Certificates tab (assignment with a domain
// the certificate does not cover), and the APIBAN page syncing from a loopback APIBAN. With
// SWITCHYARD_SHOTS=DIR set, each screen is also saved there as a screenshot.

const SHOTS = process.env['SWITCHYARD_SHOTS'];
const KEY = 'e2ekey0123456789abcdef';
let s: Session | null = null;
let dir: string;
let wildcard: TestLeaf;
let expiring: TestLeaf;
let api: FakeApiban;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-certs-'));
  const ca = makeTestCa(dir);
  wildcard = ca.leaf({ name: 'wild', cn: '*.us-east.example.net', sans: ['DNS:*.us-east.example.net', 'IP:127.0.10.11'], toDays: 365 });
  expiring = ca.leaf({ name: 'soon', cn: 'sip.example.org', sans: ['DNS:sip.example.org'], toDays: 10 });
  api = await startFakeApiban(KEY, [
    { ipaddress: addresses(0, 250), id: '1700000001' },
    { ipaddress: addresses(250, 120), id: '1700000002' },
    { ipaddress: '203.0.113.77', id: '1700000003' },
  ]);
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
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

async function ok<T>(method: string, input: unknown = {}): Promise<T> {
  if (!s) throw new Error('no session');
  const result = await callHost<T>(s.host, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error?.message}`);
  return result.data as T;
}

describe('certificates', () => {
  test('import by paste, then assign on the server page: an uncovered domain and the TLS check are flagged', async () => {
    s = await openSession({ viewport: { width: 1600, height: 900 } });
    const zone = (await ok<{ id: string }>('fleet:create-zone', { name: 'US-East', description: '' })).id;
    const defaults = await ok<{ config: Record<string, unknown> }>('fleet:create-server', {
      ip: '127.0.10.11', alias: 'us-east-sw1', type: 'switch', clusterId: null, zoneId: zone, channels: 1000, cps: 60, expiresAt: null, adminState: 'running',
      config: {
        interconnect: { terminationIngress: true, terminationEgress: true, originationIngress: true, originationEgress: true },
        uacAuth: false, webrtcTls: true, fqdn: 'sw1.us-east.example.net', autoUpgrade: false, disableUacPing: false, uacLocationSharing: false,
        tlsInternals: false, restrictDirect: false, tcpSipTrace: false, anyReg: false, processingZone: null,
        ports: { udp: 5060, tcp: 5061, tls: 5061 }, capacityFailover: { enabled: false, targetId: null },
      },
      ssh: { host: null, port: 22, user: 'root', auth: 'agent', keyPath: null, jumpHost: null },
    });
    const serverId = (defaults as unknown as { id: string }).id;
    await ok('certs:import', { pem: expiring.certPem });

    await s.open('#/certificates');
    const page = s.page;
    // A bad paste first: the error appears beside the field and nothing is imported.
    await page.locator('#cert-pem').fill('hello, this is not a certificate');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.locator('[data-field="cert-pem"] .field-error').textContent()).toContain('not a PEM certificate');

    await page.locator('#cert-pem').fill(wildcard.certPem);
    await page.locator('#cert-key').fill(wildcard.keyPem);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const row = page.locator('[data-testid="certs-table"] tr[data-name="*.us-east.example.net"]');
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('DNS:*.us-east.example.net, IP:127.0.10.11');
    expect(await row.textContent()).toContain('Stored');
    await expect.poll(() => page.locator('[data-testid="certs-table"] tr[data-name="sip.example.org"] [data-expiry]').getAttribute('data-expiry')).toBe('expiring');
    await shot('certificates-list');

    await s.open(`#/servers/${serverId}/certificates`);
    const tab = page.locator('[data-testid="server-certs"]');
    await expect.poll(() => tab.locator('[data-kind="tls-without-certificate"]').count()).toBe(1);
    const certId = (await ok<{ id: string; name: string }[]>('certs:list')).find((c) => c.name === '*.us-east.example.net')?.id ?? '';
    await page.locator('#assign-cert').selectOption(certId);
    await page.locator('#assign-type').selectOption('server');
    await page.locator('#assign-domains').fill('sw1.us-east.example.net, test1.com');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(() => tab.locator('[data-kind="uncovered-domain"]').textContent()).toContain('does not cover test1.com');
    expect(await tab.locator('[data-kind="tls-without-certificate"]').count()).toBe(0);
    expect(await tab.locator('[data-testid="cert-assignments"]').textContent()).toContain('Server');
    await shot('server-certificates-tab');
  });
});

describe('APIBAN', () => {
  test('the page saves the key, syncs from the loopback APIBAN with progress, and lists the addresses', async () => {
    s = await openSession({ viewport: { width: 1600, height: 900 } });
    await s.open('#/apiban');
    const page = s.page;
    await expect.poll(() => page.locator('[data-testid="apiban-key-state"]').textContent()).toBe('not set');
    await page.locator('#apiban-key-input').fill('bad key!');
    await page.locator('#apiban-base').fill(api.baseUrl);
    await page.locator('[data-testid="apiban-key"] button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-field="apiban-key-input"] .field-error').textContent()).toContain('letters and digits');

    await page.locator('#apiban-key-input').fill(KEY);
    await page.locator('[data-testid="apiban-key"] button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-testid="apiban-key-state"]').textContent()).toContain('set (kept');

    api.rateLimit('1700000001', 1, 0);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => page.locator('[data-testid="apiban-count"]').textContent(), { timeout: 30_000 }).toBe('371 banned addresses');
    await expect.poll(() => page.locator('[data-testid="apiban-last"]').textContent()).toContain('371 new');
    expect(await page.locator('[data-testid="apiban-table"] tbody tr').count()).toBe(371);

    await page.locator('#apiban-check-ip').fill('203.0.113.77');
    await page.locator('[data-testid="apiban-check"] button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-testid="apiban-check-result"]').textContent()).toContain('is banned (APIBAN ID 1700000003)');
    await shot('apiban-page');
  });
});
