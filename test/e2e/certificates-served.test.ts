import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { startCertLab, type CertLab } from '../helpers/cert-lab';
import { callHost, makeDataDir, openSession, type Session } from './fixtures';

// Assigning a certificate on a server's Certificates tab installs it on a real Kamailio (through a
// real sshd) and shows, per SIP domain, the fingerprint a real TLS handshake was answered with.
// With SWITCHYARD_SHOTS=DIR set, the screens are saved there too.

const SHOTS = process.env['SWITCHYARD_SHOTS'];
let lab: CertLab;
let s: Session | null = null;

beforeAll(async () => {
  lab = await startCertLab();
}, 60_000);
afterAll(async () => {
  await lab?.stop();
});
afterEach(async () => {
  await s?.close();
  s = null;
});

async function ok<T>(method: string, input: unknown = {}): Promise<T> {
  if (!s) throw new Error('no session');
  const result = await callHost<T>(s.host, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error?.message}`);
  return result.data as T;
}

async function shot(name: string): Promise<void> {
  if (!SHOTS || !s) return;
  mkdirSync(SHOTS, { recursive: true });
  await s.page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe('certificates served', () => {
  test('assigning test1.com and test2.com installs them and shows each served by SNI', async () => {
    const dataDir = await makeDataDir();
    lab.prepare(dataDir);
    s = await openSession({ dataDir, viewport: { width: 1600, height: 900 } });
    const zone = await ok<{ id: string }>('fleet:create-zone', { name: 'Lab', description: '' });
    const server = await ok<{ id: string }>('fleet:create-server', lab.serverInput(zone.id, defaultServerDraft(zone.id) as never));
    const one = await ok<{ id: string; fingerprint256: string }>('certs:import', {
      pem: lab.leaves.test1.certPem,
      keyPem: lab.leaves.test1.keyPem,
    });
    const two = await ok<{ id: string; fingerprint256: string }>('certs:import', {
      pem: lab.leaves.test2.certPem,
      keyPem: lab.leaves.test2.keyPem,
    });

    await s.open(`#/servers/${server.id}/certificates`);
    const page = s.page;
    const assign = async (certId: string, domains: string): Promise<void> => {
      await page.locator('#assign-cert').selectOption(certId);
      await page.locator('#assign-domains').fill(domains);
      await page.getByRole('button', { name: 'Assign', exact: true }).click();
    };
    await assign(one.id, 'test1.com');
    // The install's steps show as they happen, then the state and the check per domain.
    await page.locator('[data-testid="cert-install-state"][data-state="installed"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="cert-checks"] tr[data-domain="test1.com"][data-outcome="ok"]').waitFor({ timeout: 30_000 });

    await assign(two.id, 'test2.com');
    const row2 = page.locator('[data-testid="cert-checks"] tr[data-domain="test2.com"][data-outcome="ok"]');
    await row2.waitFor({ timeout: 30_000 });
    await expect.poll(() => row2.locator('td').nth(4).getAttribute('title')).toBe(two.fingerprint256);
    await expect
      .poll(() => page.locator('[data-testid="cert-checks"] tr[data-domain="test1.com"] td').nth(4).getAttribute('title'))
      .toBe(one.fingerprint256);
    // No SNI name (and any unmatched name) gets the default: the certificate covering the FQDN.
    await expect
      .poll(() => page.locator('[data-testid="cert-checks"] tr[data-domain=""] td').nth(4).getAttribute('title'))
      .toBe(one.fingerprint256);
    await expect.poll(() => page.locator('[data-testid="cert-deploy-steps"]').textContent()).toContain('served as assigned');
    await shot('cert-served-tab');

    // A third certificate claiming test1.com is refused beside the field, naming both.
    const old = await ok<{ id: string }>('certs:import', { pem: lab.leaves.expired.certPem, keyPem: lab.leaves.expired.keyPem });
    await assign(old.id, 'test1.com');
    await expect
      .poll(() => page.locator('[data-field="assign-domains"] .field-error').textContent())
      .toContain('test1.com is already matched on lab-sbc1 by test1.com');

    // The Certificates page shows the last check per server.
    await s.open('#/certificates');
    await expect
      .poll(() => page.locator('[data-testid="certs-served"] tr[data-server="lab-sbc1"]').textContent())
      .toContain('3 of 3 as assigned');
    await shot('cert-served-page');
  }, 120_000);
});
