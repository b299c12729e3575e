import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { callHost, openSession, type Session } from './fixtures';

let s: Session;
beforeEach(async () => {
  s = await openSession();
});
afterEach(async () => {
  await s.close();
});

async function servers(): Promise<Server[]> {
  const result = await callHost<Server[]>(s.host, 'fleet:list-servers');
  return result.data ?? [];
}

async function createZoneAndCluster() {
  const { page } = s;
  await s.open('#/zones');
  await page.getByLabel('New zone').fill('EU-West');
  await page.getByRole('button', { name: 'Create zone' }).click();
  await page.locator('[data-testid="zones-table"] tr[data-name="EU-West"]').waitFor();
  await page.getByRole('link', { name: 'Clusters' }).click();
  await page.getByLabel('New cluster').fill('core-eu');
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await page.locator('[data-testid="clusters-table"] tr[data-name="core-eu"]').waitFor();
}

async function addServer(ip: string, alias: string) {
  const { page } = s;
  await page.goto(`${s.host.url}#/servers/new`);
  await page.locator('[id="ip"]').fill(ip);
  await page.locator('[id="alias"]').fill(alias);
  await page.locator('[id="clusterId"]').selectOption({ label: 'core-eu' });
  await page.getByRole('button', { name: 'Create server' }).click();
}

describe('server editing', () => {
  test('zone, cluster, server, config error beside FQDN, saved config, persisted after reload', async () => {
    const { page } = s;
    await createZoneAndCluster();
    await addServer('127.0.0.1', 'eu-sw1');
    await expect.poll(() => page.url()).toMatch(/#\/servers\/(?!new)[A-Za-z0-9_-]+$/);
    await expect.poll(() => page.getByTestId('server-ip').textContent()).toBe('127.0.0.1');
    const [created] = await servers();
    expect(created).toMatchObject({ ip: '127.0.0.1', alias: 'eu-sw1', installRecommended: false });

    // WebRTC/TLS without an FQDN: refused, the error beside the FQDN field, nothing saved.
    await page.getByRole('link', { name: 'Config' }).click();
    await page.locator('[id="config.webrtcTls"]').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const fqdnError = page.locator('[data-field="config.fqdn"] .field-error');
    await expect.poll(() => fqdnError.textContent()).toMatch(/FQDN/);
    expect(await page.locator('[id="config.fqdn"]').getAttribute('aria-invalid')).toBe('true');
    expect((await servers())[0]?.config.webrtcTls).toBe(false);

    // With the FQDN set it saves, and Install Server becomes recommended.
    await page.locator('[id="config.fqdn"]').fill('sip1.example.com');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('install-banner').waitFor();
    expect(await fqdnError.count()).toBe(0);
    const saved = (await servers())[0];
    expect(saved?.config).toMatchObject({ webrtcTls: true, fqdn: 'sip1.example.com' });
    expect(saved?.installRecommended).toBe(true);

    // A reload keeps the page and shows what the host stored.
    await page.reload();
    await page.getByTestId('install-banner').waitFor();
    await expect.poll(() => page.locator('[id="config.fqdn"]').inputValue()).toBe('sip1.example.com');
    expect(await page.locator('[id="config.webrtcTls"]').isChecked()).toBe(true);

    // The fleet table marks it too.
    await page.getByRole('link', { name: 'Fleet' }).first().click();
    await expect.poll(() => page.getByTestId('fleet-count').textContent()).toMatch(/1 server/);
    expect(await page.locator('.vt-row').first().textContent()).toContain('Install');

    // The zone list: rename with the keyboard (focus lands in the field, Escape cancels, Enter
    // saves), an empty name is refused beside the field with nothing saved, and a zone holding a
    // server refuses deletion in its dialog.
    await s.open('#/zones');
    const row = (name: string) => page.locator(`[data-testid="zones-table"] tr[data-name="${name}"]`);
    const zoneNames = async () =>
      ((await callHost<{ name: string; serverCount: number }[]>(s.host, 'fleet:list-zones')).data ?? []).map(
        (z) => `${z.name}:${z.serverCount}`,
      );
    expect(await zoneNames()).toEqual(['EU-West:1']);
    await row('EU-West').getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByLabel('New name for zone EU-West');
    await expect.poll(() => rename.evaluate((el) => el === document.activeElement)).toBe(true);
    await rename.press('Escape');
    await rename.waitFor({ state: 'detached' });
    await row('EU-West').getByRole('button', { name: 'Rename' }).click();
    await rename.fill('  ');
    await rename.press('Enter');
    await expect.poll(() => row('EU-West').locator('.field-error').textContent()).toMatch(/name/i);
    expect(await rename.getAttribute('aria-invalid')).toBe('true');
    expect(await zoneNames()).toEqual(['EU-West:1']);
    await rename.fill('EU-Central');
    await rename.press('Enter');
    await row('EU-Central').waitFor();
    expect(await zoneNames()).toEqual(['EU-Central:1']);
    await row('EU-Central').getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByTestId('delete-zone-dialog');
    expect(await dialog.textContent()).toContain('1 server and 0 RTP servers');
    await dialog.getByRole('button', { name: 'Delete zone' }).click();
    await page.getByTestId('zone-delete-error').waitFor();
    expect(await zoneNames()).toEqual(['EU-Central:1']);
  });

  test('a duplicate IP is shown beside the IP field and nothing is saved', async () => {
    const { page } = s;
    await createZoneAndCluster();
    await addServer('127.0.0.1', 'eu-sw1');
    await expect.poll(() => page.url()).toMatch(/#\/servers\/(?!new)/);
    await addServer('127.0.0.1', 'eu-sw2');
    const ipError = page.locator('[data-field="ip"] .field-error');
    await expect.poll(() => ipError.textContent()).toMatch(/127\.0\.0\.1/);
    expect(page.url()).toMatch(/#\/servers\/new$/);
    expect((await servers()).map((x) => x.alias)).toEqual(['eu-sw1']);

    // Leaving with the refused draft asks first.
    await page.getByRole('link', { name: 'Fleet' }).first().click();
    await page.getByTestId('unsaved-dialog').waitFor();
    await page.getByRole('button', { name: 'Keep editing' }).click();
    expect(page.url()).toMatch(/#\/servers\/new$/);
    expect(await page.locator('[id="alias"]').inputValue()).toBe('eu-sw2');
  });
});
