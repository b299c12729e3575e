import { mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ctlAtDefaultPath, registerPhones, startRegistrar, type Phones, type Registrar } from '../helpers/kamailio-registrar';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { until } from '../helpers/until';
import { callHost, makeDataDir, openSession, type Session } from './fixtures';

// The server's Registrations tab and the Capacity page's keepalive overhead in Chromium, with the
// registrations read over the real test sshd from a real Kamailio registrar (usrloc keepalive every
// second) by the shipped recipe, unchanged: SIPp desk phones 1001 and 1002 answer keepalives, and
// alice's mobile goes away mid-test, so her contact is flagged silent. With SWITCHYARD_SHOTS=DIR
// set, the screens are saved there in dark and light.

const SHOTS = process.env['SWITCHYARD_SHOTS'];
let sshd: Sshd;
let registrar: Registrar;
let desk: Phones;
let mobile: Phones;
let dataDir: string;
let s: Session;

/** The page, or one section of it (the page body scrolls inside the window, so a long page is shot by part). */
async function shot(name: string, selector?: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  if (selector) await s.page.locator(selector).screenshot({ path: file });
  else await s.page.screenshot({ path: file });
}

async function ok<T>(method: string, input: unknown = {}): Promise<T> {
  const result = await callHost<T>(s.host, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error?.message}`);
  return result.data as T;
}

function server(zone: string, ip: string, alias: string, port: number) {
  return {
    ip,
    alias,
    type: 'switch',
    clusterId: null,
    zoneId: zone,
    channels: 100,
    cps: 50,
    expiresAt: null,
    adminState: 'running',
    config: {
      interconnect: { terminationIngress: true, terminationEgress: true, originationIngress: true, originationEgress: true },
      uacAuth: false,
      webrtcTls: false,
      fqdn: null,
      autoUpgrade: false,
      disableUacPing: false,
      uacLocationSharing: true,
      tlsInternals: false,
      restrictDirect: false,
      tcpSipTrace: false,
      anyReg: false,
      processingZone: null,
      ports: { udp: 5060, tcp: 5061, tls: 5061 },
      capacityFailover: { enabled: false, targetId: null },
    },
    ssh: { host: '127.0.0.1', port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
  };
}

beforeAll(async () => {
  registrar = await startRegistrar();
  desk = await registerPhones(
    registrar,
    ['1001', '1002'].map((user) => ({ user, expires: 3600, userAgent: `Yealink SIP-T46U ${user}` })),
  );
  mobile = await registerPhones(registrar, [{ user: 'alice', expires: 600, userAgent: 'Linphone/5.2.0 (alice mobile)' }]);
  sshd = await startSshd({ hostKeys: ['ed25519'], launcher: ctlAtDefaultPath(registrar) });
}, 60_000);
afterAll(async () => {
  await sshd?.stop();
  await mobile?.stop();
  await desk?.stop();
  await registrar?.stop();
});

beforeEach(async () => {
  dataDir = await makeDataDir();
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(path.join(dataDir, 'known_hosts'), `[127.0.0.1]:${sshd.port} ${keyType} ${key}\n`);
  s = await openSession({ dataDir, viewport: { width: 1400, height: 860 } });
});
afterEach(async () => {
  await s.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('registrations', () => {
  test('the tab reads the server over SSH: count, what array sharing changes, keepalive from the count; Capacity uses the same counts', async () => {
    const zone = (await ok<{ id: string }>('fleet:create-zone', { name: 'EU', description: '' })).id;
    const live = await ok<{ id: string }>('fleet:create-server', server(zone, '127.0.0.1', 'reg-sw1', sshd.port));
    await ok('fleet:create-server', server(zone, '127.0.0.2', 'reg-sw2', 1));
    const { page } = s;

    await s.open(`#/servers/${live.id}/registrations`);
    const tab = page.getByTestId('server-registrations');
    await tab.getByRole('button', { name: 'Read registrations' }).click();
    await expect.poll(() => page.getByTestId('reg-count').textContent(), { timeout: 20_000 }).toBe('3');
    await expect.poll(() => page.getByTestId('reg-command').textContent()).toContain("switchyard-registrations kamcmd '' location ''");
    const contactRows = page.getByTestId('reg-contacts').locator('tbody tr');
    expect(await contactRows.count()).toBe(3);
    // Each contact's keepalive: answering, with its round trip in ms (the first read may precede a round).
    await until(
      'every contact answering its keepalives',
      async () => {
        if ((await page.locator('[data-testid="reg-contacts"] [data-keepalive="answering"]').count()) === 3) return true;
        await tab.getByRole('button', { name: 'Read again' }).click();
        await expect.poll(() => tab.getByRole('button', { name: 'Read again' }).isEnabled()).toBe(true);
        return false;
      },
      20_000,
    );
    for (const cell of await page.getByTestId('reg-rtt').allTextContents()) expect(cell).toMatch(/^\d+(\.\d\d)? ms$/);
    expect(await page.getByTestId('reg-health').textContent()).toContain('3 contacts answered the last keepalive round');
    expect(await page.getByTestId('reg-sharing').textContent()).toContain('shared with servers not in a cluster (reg-sw2)');
    expect(await page.getByTestId('reg-keepalive-pps').textContent()).toBe('3 pings/s');
    const keepalive = await page.getByTestId('reg-keepalive').textContent();
    expect(keepalive).toContain('3 registered contacts');
    expect(keepalive).toContain('disabling UAC ping');
    await shot('registrations-dark');
    await page.keyboard.press('t');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await shot('registrations-light');
    await page.keyboard.press('t');

    // Alice's mobile goes away without unregistering: its keepalives go unanswered, and the next
    // read flags it (still registered, still counted), listed first.
    await mobile.stop();
    await until(
      'alice flagged silent',
      async () => {
        await tab.getByRole('button', { name: 'Read again' }).click();
        await expect.poll(() => tab.getByRole('button', { name: 'Read again' }).isEnabled()).toBe(true);
        return (await page.getByTestId('reg-silent-count').count()) === 1;
      },
      20_000,
    );
    expect(await page.getByTestId('reg-silent-count').textContent()).toContain('1 silent');
    expect(await page.getByTestId('reg-count').textContent()).toBe('3');
    const first = contactRows.first();
    expect(await first.locator('td').first().textContent()).toBe('alice');
    expect(await first.locator('[data-keepalive]').textContent()).toMatch(/Silent \d+ s/);
    expect(await page.getByTestId('reg-health').textContent()).toContain('1 contact stopped answering');
    await page.getByTestId('reg-filter-silent').click();
    expect(await contactRows.count()).toBe(1);
    await shot('registrations-silent-dark');

    // The lookup: by name, answered by the server; a refused name is said beside the field.
    const lookup = page.getByTestId('reg-lookup');
    await lookup.locator('#reg-lookup-user').fill('alice smith');
    await lookup.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => lookup.locator('.field-error').textContent()).toContain('User must be a SIP user name');
    await lookup.locator('#reg-lookup-user').fill('nobody');
    await lookup.getByRole('button', { name: 'Look up' }).click();
    await expect
      .poll(() => page.getByTestId('reg-lookup-answer').textContent(), { timeout: 20_000 })
      .toContain('nobody is not registered on reg-sw1');
    expect(await lookup.locator('.field-error').count()).toBe(0);
    await lookup.locator('#reg-lookup-user').fill('1001');
    await lookup.getByRole('button', { name: 'Look up' }).click();
    await expect.poll(() => page.getByTestId('reg-lookup-answer').innerText(), { timeout: 20_000 }).toContain('1001: 1 contact on reg-sw1');
    expect(await page.getByTestId('reg-lookup-answer').locator('[data-keepalive]').textContent()).toContain('Answering');
    await shot('registrations-lookup-dark');
    await page.keyboard.press('t');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await shot('registrations-lookup-light');
    await page.keyboard.press('t');

    // The keepalive view: nothing read on opening; the button reads reg-sw1's count over SSH,
    // reg-sw2 is unreachable and so typed.
    await s.open('#/capacity');
    const rows = page.getByTestId('keepalive-servers');
    await expect.poll(() => rows.locator('tr[data-server="reg-sw1"]').textContent()).toContain('typed: not read yet');
    expect(await rows.locator('tr[data-server="reg-sw1"] td.when').textContent()).toBe('never');
    await expect.poll(() => page.getByTestId('keepalive-never-read').isVisible()).toBe(true);
    const section = 'section[aria-labelledby="ka-title"]';
    await shot('capacity-keepalive-unread-dark', section);
    await page.getByRole('button', { name: 'Read registration counts' }).click();
    await expect.poll(() => rows.locator('tr[data-server="reg-sw1"]').textContent(), { timeout: 20_000 }).toContain('read over SSH');
    await expect.poll(() => rows.locator('tr[data-server="reg-sw2"] td.when').textContent()).not.toBe('never');
    expect(await rows.locator('tr[data-server="reg-sw1"] td.num').first().textContent()).toBe('3');
    expect(await rows.locator('tr[data-server="reg-sw2"]').textContent()).toContain('typed: unreachable');
    await page.locator('#ka-regs').fill('5');
    await page.getByRole('button', { name: 'Recalculate' }).click();
    await expect.poll(() => rows.locator('tr[data-server="reg-sw2"] td.num').first().textContent()).toBe('5');
    // Both share the array: each pings 3 + 5 registrations a second.
    await expect.poll(() => page.getByTestId('keepalive').locator('tfoot').textContent()).toContain('16');
    await expect.poll(() => page.locator('#ka-title').locator('..').textContent()).toContain('advises disabling UAC ping');
    await shot('capacity-keepalive-dark', section);
    await page.keyboard.press('t');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await shot('capacity-keepalive-light', section);
  });
});
