import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { callHost, openSession, type Session } from './fixtures';

// The Capacity page (limits and the what-if calculator), the Advisor list, and the Deploy wizard
// against the real test sshd. With SWITCHYARD_SHOTS=DIR set, each step is also saved as a
// screenshot there (how the screens were looked at).

const SHOTS = process.env['SWITCHYARD_SHOTS'];
let s: Session;

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await s.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

async function ok<T>(method: string, input: unknown = {}): Promise<T> {
  const result = await callHost<T>(s.host, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error?.message}`);
  return result.data as T;
}

async function seed(): Promise<{ zone: string; cluster: string }> {
  const zone = (await ok<{ id: string }>('fleet:create-zone', { name: 'EU', description: '' })).id;
  const cluster = (await ok<{ id: string }>('fleet:create-cluster', { name: 'core', description: '' })).id;
  return { zone, cluster };
}

function server(zone: string, ip: string, alias: string, extra: Record<string, unknown> = {}) {
  const config = {
    interconnect: { terminationIngress: true, terminationEgress: true, originationIngress: true, originationEgress: true },
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
    ports: { udp: 5060, tcp: 5061, tls: 5061 },
    capacityFailover: { enabled: false, targetId: null },
  };
  const { config: overrides, ...rest } = extra as { config?: Record<string, unknown> };
  return {
    ip,
    alias,
    type: 'dispatcher',
    clusterId: null,
    zoneId: zone,
    channels: 100,
    cps: 50,
    expiresAt: null,
    adminState: 'running',
    config: { ...config, ...overrides },
    ssh: { host: null, port: 22, user: 'root', auth: 'agent', keyPath: null, jumpHost: null },
    ...rest,
  };
}

beforeEach(async () => {
  s = await openSession({ viewport: { width: 1600, height: 900 } });
});
afterEach(async () => {
  await s.close();
});

describe('capacity and advisor', () => {
  test('limits multiply over unclustered servers; the calculator shows clustering them before anything changes', async () => {
    const { zone } = await seed();
    await ok('fleet:create-server', server(zone, '127.0.50.1', 'lb-a'));
    await ok('fleet:create-server', server(zone, '127.0.50.2', 'lb-b'));
    const { page } = s;
    await s.open('#/capacity');
    await page.locator('#allow-cps').fill('10');
    await page.getByRole('button', { name: 'Show limits' }).click();
    await expect.poll(() => page.getByTestId('limits-now-total-cps').textContent()).toContain('20');
    await expect.poll(() => page.getByTestId('limits-now').textContent()).toContain('2×');

    await page.getByLabel(/127\.0\.50\.1/).check();
    await page.getByLabel(/127\.0\.50\.2/).check();
    await page.locator('#calc-cluster').selectOption({ label: 'core' });
    await page.getByRole('button', { name: 'Plan', exact: true }).first().click();
    await expect.poll(() => page.getByTestId('limits-after-total-cps').textContent()).toMatch(/^10\s*\(was 20\)/);
    await page.getByTestId('failover').waitFor();
    await shot('capacity-calculator');
    // A plan only: the fleet is as it was.
    const servers = await ok<Server[]>('fleet:list-servers');
    expect(servers.every((x) => x.clusterId === null)).toBe(true);

    await page.locator('#allow-cps').fill('0');
    await page.getByRole('button', { name: 'Show limits' }).click();
    await expect.poll(() => page.locator('[data-field="cps"] .field-error').textContent()).toContain('at least 1');
  });

  test('the advisor lists findings with severity and opens the field that fixes one', async () => {
    const { zone } = await seed();
    await ok('fleet:create-server', server(zone, '127.0.50.1', 'lb-a', { config: { tcpSipTrace: true } }));
    await ok('fleet:create-server', server(zone, '127.0.50.2', 'lb-b', { expiresAt: Date.UTC(2020, 0, 1) }));
    const { page } = s;
    await s.open('#/advisor');
    const items = page.locator('[data-testid="findings"] > li');
    await expect.poll(() => items.count()).toBe(3);
    await expect.poll(() => items.first().getAttribute('data-rule')).toBe('server-expiry');
    await expect.poll(() => items.first().locator('[data-severity]').textContent()).toContain('Error');
    await expect.poll(() => page.getByTestId('advisor-count').innerText()).toContain('1 error');
    await shot('advisor');

    await page
      .locator('li[data-rule="tcp-sip-trace"]')
      .getByRole('button', { name: /Open TCP SIP Trace on lb-a/ })
      .click();
    await expect.poll(() => page.url()).toMatch(/#\/servers\/[^/]+\/config$/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('config.tcpSipTrace');
  });
});

describe('deploy wizard', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd({ hostKeys: ['ed25519'] });
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  test('refuses for balance with the exact shortfall, then installs against the test sshd and adds the server', async () => {
    const { zone } = await seed();
    await ok('fleet:create-server', server(zone, '127.0.50.9', 'existing'));
    const script = path.join(sshd.workDir, 'install-e2e.sh');
    writeFileSync(script, '#!/bin/sh\necho "fetching image"\necho "SIP stack installed"\n');
    chmodSync(script, 0o755);
    const { page } = s;
    await s.open('#/fleet');
    await page.getByTestId('deploy-server').click();
    const wizard = page.getByTestId('deploy-wizard');
    await wizard.locator('#deploy-type').selectOption('switch');
    await shot('deploy-1-placement');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.locator('#deploy-ip').fill('127.0.0.1');
    await wizard.locator('#deploy-alias').fill('fresh-sw');
    await wizard.locator('#deploy-ssh-port').fill(String(sshd.port));
    await wizard.locator('#deploy-ssh-user').fill(TEST_USER);
    await wizard.locator('#deploy-ssh-auth').selectOption('key');
    await wizard.locator('#deploy-ssh-keyPath').fill(fixture('user_ed25519'));
    await wizard.locator('#deploy-installScript').fill(script);
    await wizard.getByRole('button', { name: 'Next' }).click();

    await expect.poll(() => wizard.getByTestId('balance-verdict').textContent()).toContain('Short by $40.00');
    // Short: the install is refused before it can start, with the reason beside the button.
    await expect.poll(() => wizard.getByRole('button', { name: 'Deploy and install' }).isDisabled()).toBe(true);
    await expect.poll(() => wizard.getByTestId('deploy-blocked').textContent()).toContain('Short by $40.00');
    await shot('deploy-2-balance-refused');
    expect((await ok<Server[]>('fleet:list-servers')).length).toBe(1);

    await wizard.locator('#deploy-balance').fill('40.00');
    await wizard.getByRole('button', { name: 'Update' }).click();
    await expect.poll(() => wizard.getByTestId('balance-verdict').textContent()).toContain('Enough');
    await wizard.getByRole('button', { name: 'Deploy and install' }).click();

    const prompt = page.getByTestId('host-key-prompt');
    await prompt.waitFor();
    await expect.poll(() => prompt.getByTestId('host-key-fingerprint').textContent()).toMatch(/^SHA256:/);
    await shot('deploy-3-host-key');
    await prompt.getByRole('button', { name: 'Accept and connect' }).click();

    await expect.poll(() => wizard.getByTestId('deploy-progress').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await expect.poll(() => wizard.getByTestId('deploy-output').textContent()).toContain('SIP stack installed');
    await shot('deploy-4-installed');
    const servers = await ok<Server[]>('fleet:list-servers');
    expect(servers.map((x) => x.alias).sort()).toEqual(['existing', 'fresh-sw']);
    await wizard.getByRole('button', { name: 'Open the server' }).click();
    await expect.poll(() => page.getByTestId('server-ip').textContent()).toBe('127.0.0.1');

    // The deployment is in the actions log with its output, like any other action on a server.
    await s.open('#/actions');
    await page.getByLabel('Action', { exact: true }).selectOption('deploy');
    const row = page.getByTestId('run-list-row');
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.first().textContent()).toContain('Deploy Server');
    await row.first().click();
    await expect.poll(() => page.getByTestId('run-detail-output').first().textContent()).toContain('SIP stack installed');
    await shot('deploy-5-actions-log');
  });
});
