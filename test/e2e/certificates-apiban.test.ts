import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { makeTestCa, type TestLeaf } from '../helpers/test-certs';
import { callHost, openSession, type Session } from './fixtures';

// The Certificates page (import by paste) and a server's Certificates tab (assignment with a domain
// the certificate does not cover); the APIBAN page has its own (apiban-schedule.test.ts). With
// SWITCHYARD_SHOTS=DIR set, each screen is also saved there as a screenshot.

const SHOTS = process.env['SWITCHYARD_SHOTS'];
let s: Session | null = null;
let dir: string;
let wildcard: TestLeaf;
let expiring: TestLeaf;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-certs-'));
  const ca = makeTestCa(dir);
  wildcard = ca.leaf({ name: 'wild', cn: '*.us-east.example.net', sans: ['DNS:*.us-east.example.net', 'IP:127.0.10.11'], toDays: 365 });
  expiring = ca.leaf({ name: 'soon', cn: 'sip.example.org', sans: ['DNS:sip.example.org'], toDays: 10 });
});
afterAll(async () => {
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
      ip: '127.0.10.11',
      alias: 'us-east-sw1',
      type: 'switch',
      clusterId: null,
      zoneId: zone,
      channels: 1000,
      cps: 60,
      expiresAt: null,
      adminState: 'running',
      config: {
        interconnect: { terminationIngress: true, terminationEgress: true, originationIngress: true, originationEgress: true },
        uacAuth: false,
        webrtcTls: true,
        fqdn: 'sw1.us-east.example.net',
        autoUpgrade: false,
        disableUacPing: false,
        uacLocationSharing: false,
        tlsInternals: false,
        restrictDirect: false,
        tcpSipTrace: false,
        anyReg: false,
        processingZone: null,
        ports: { udp: 5060, tcp: 5061, tls: 5061 },
        capacityFailover: { enabled: false, targetId: null },
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
    await expect
      .poll(() => page.locator('[data-testid="certs-table"] tr[data-name="sip.example.org"] [data-expiry]').getAttribute('data-expiry'))
      .toBe('expiring');
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
