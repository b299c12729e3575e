import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatKnownHostsLine } from '../../src/domain/ssh/known-hosts';
import { BMC_PASSWORD, BMC_USER, startIpmiSim, type IpmiSim } from '../helpers/ipmi-sim';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { callHost, makeDataDir, openSession, ROOT, type Session } from './fixtures';

// Every action of the reference's Server Actions Menu run from the console in Chromium: Install
// Server with its command (set in Settings, offered by the "Install recommended" banner), Start,
// Stop and Restart over the real test sshd, OS Cycle and Power Cycle from this workstation through
// the real ipmitool to OpenIPMI's ipmi_sim, and Resize Capacity from the Summary tab with its
// warning and typed confirmation. The shipped recipe book runs unchanged except Resize's tool
// (this machine has no /usr/local/sbin/sip-resize): `systemctl` on the test server is a stand-in
// first on the session's PATH, because the real one would reboot the machine running the tests
// (and cannot run here anyway: PID 1 of the test machine is not systemd).

const ADDRESSES = ['127.0.0.50', '127.0.0.51'];
const SHOTS = path.join(ROOT, 'out/screenshots/actions-reference');
let sshd: Sshd;
let bmc: IpmiSim;
let s: Session;
let stubs: string;
let serverId = '';
let otherId = '';

const systemctlLog = () => readFileSync(path.join(stubs, 'systemctl.log'), 'utf8');

beforeAll(async () => {
  const dataDir = await makeDataDir();
  stubs = path.join(dataDir, 'server-bin');
  mkdirSync(stubs, { recursive: true, mode: 0o755 });
  chmodSync(dataDir, 0o755);
  writeFileSync(path.join(stubs, 'systemctl.log'), '', { mode: 0o666 });
  chmodSync(path.join(stubs, 'systemctl.log'), 0o666);
  writeFileSync(
    path.join(stubs, 'systemctl'),
    `#!/bin/sh\necho "systemctl $*" >> '${path.join(stubs, 'systemctl.log')}'\necho "systemctl $*: ok"\n`,
    { mode: 0o755 },
  );
  writeFileSync(path.join(stubs, 'install.sh'), '#!/bin/sh\necho "installing the standard image"\necho "install complete"\n', {
    mode: 0o755,
  });
  writeFileSync(path.join(stubs, 'sip-resize'), '#!/bin/sh\necho "resized to $2 channels"\n', { mode: 0o755 });
  // One after the other: each is assigned as soon as it runs, so afterAll stops it even if the next fails.
  sshd = await startSshd({ addresses: ADDRESSES, extraConfig: [`SetEnv PATH=${stubs}:/usr/bin:/bin`] });
  bmc = await startIpmiSim({ shutdownMs: 1_000 });

  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(
    path.join(dataDir, 'known_hosts'),
    ADDRESSES.map((a) => formatKnownHostsLine(a, sshd.port, keyType, key)).join('\n') + '\n',
  );
  const book = JSON.parse(readFileSync(path.join(ROOT, 'resources/recipes/default.json'), 'utf8')) as {
    recipes: { action: string; defaults?: Record<string, string> }[];
  };
  for (const r of book.recipes) if (r.action === 'resize') r.defaults = { resizeScript: path.join(stubs, 'sip-resize') };
  writeFileSync(path.join(dataDir, 'recipes.json'), JSON.stringify(book));

  s = await openSession({ dataDir, viewport: { width: 1600, height: 900 } });
  const zone = await callHost<{ id: string }>(s.host, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const { defaultServerDraft } = await import('../../src/domain/fleet/defaults');
  const ids: string[] = [];
  for (const [i, ip] of ADDRESSES.entries()) {
    const created = await callHost<{ id: string }>(s.host, 'fleet:create-server', {
      ...defaultServerDraft(zone.data!.id),
      ip,
      alias: `edge-sw${i + 1}`,
      type: 'switch',
      channels: 200,
      cps: 20,
      ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
    });
    expect(created.ok).toBe(true);
    ids.push(created.data!.id);
  }
  [serverId = '', otherId = ''] = ids;
  mkdirSync(SHOTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await s?.close();
  await Promise.all([sshd?.stop(), bmc?.stop()]);
});

async function openMenu(page: Page): Promise<void> {
  await page.getByTestId('actions-menu').click();
  await page.getByTestId('actions-menu-list').waitFor();
  // The host's answer on what can run replaces the first guess.
  await page.locator('[data-testid="actions-menu-list"][data-state="checked"]').waitFor();
}

async function pick(page: Page, label: string): Promise<void> {
  await openMenu(page);
  await page.getByRole('menuitem', { name: label, exact: true }).click();
  await page.getByTestId('action-dialog').waitFor();
}

/** Runs the open dialog's action and waits for its end; returns the run's final status. */
async function runDialog(page: Page, confirmation?: string, timeout = 30_000): Promise<string | null> {
  const dialog = page.getByTestId('action-dialog');
  if (confirmation !== undefined) await dialog.getByTestId('confirm-count').fill(confirmation);
  await expect.poll(() => dialog.getByTestId('run-action').isEnabled()).toBe(true);
  await dialog.getByTestId('run-action').click();
  const run = dialog.getByTestId('action-run');
  await run.waitFor();
  await expect.poll(() => run.getAttribute('data-status'), { timeout }).not.toBe('running');
  return run.getAttribute('data-status');
}

async function closeDialog(page: Page): Promise<void> {
  await page.getByTestId('action-dialog').locator('footer').getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByTestId('action-dialog').waitFor({ state: 'detached' });
}

describe("the reference's Server Actions Menu in the browser", () => {
  test('Install Server: the menu says why without a command, Settings sets one, the banner installs in one click', async () => {
    const { page } = s;
    await s.open(`#/servers/${serverId}`);
    await openMenu(page);
    const install = page.locator('[data-action="install"]');
    expect(await install.getAttribute('data-available')).toBe('false');
    expect(await install.textContent()).toMatch(/needs an install command for edge-sw1 \(127\.0\.0\.50\)/);
    await page.screenshot({ path: path.join(SHOTS, 'menu-no-install-command.png') });
    await page.getByTestId('fix-install').click();

    await page.getByTestId('install-command-settings').waitFor();
    await page.getByTestId('fleet-install-command').fill('install.sh --force');
    await page.getByTestId('save-install-command').click();
    await page.getByTestId('install-command-settings').getByText('is neither an absolute path nor an https:// URL').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'settings-install-command-refused.png') });
    await page.getByTestId('fleet-install-command').fill(path.join(stubs, 'install.sh'));
    await page.getByTestId('save-install-command').click();
    await page.getByTestId('toast').getByText('Install command saved.').waitFor();

    // A Server Config change: Install Server recommended, offered in the banner.
    await s.open(`#/servers/${serverId}/config`);
    await page.locator('[id="config.uacAuth"]').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('install-now').waitFor();
    await page.getByTestId('install-now').click();
    const dialog = page.getByTestId('action-dialog');
    await expect.poll(() => dialog.getByTestId('install-command').inputValue()).toBe(path.join(stubs, 'install.sh'));
    await dialog.getByTestId('action-impact').getByText('clean installation from a standard image').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'install-dialog.png') });
    expect(await runDialog(page)).toBe('succeeded');
    expect(await dialog.getByTestId('run-output').textContent()).toContain('install complete');
    await closeDialog(page);
    // It succeeded, so the recommendation is gone.
    await page.getByTestId('install-banner').waitFor({ state: 'detached' });
  });

  test('out-of-band power set in Server Config; Restart, Stop, Start, Power Cycle and OS Cycle from the menu', async () => {
    const { page } = s;
    await s.open(`#/servers/${serverId}/config`);
    const oob = page.getByTestId('out-of-band-power');
    await oob.getByTestId('oob-ipmi').check();
    await oob.getByTestId('oob-host').fill(bmc.host);
    await oob.getByTestId('oob-port').fill(String(bmc.port));
    await oob.getByTestId('oob-user').fill(BMC_USER);
    await oob.getByTestId('oob-cipher').selectOption('3');
    await oob.getByTestId('oob-save').click();
    await page.getByTestId('toast').getByText('Out-of-band power of edge-sw1 saved.').waitFor();
    await oob.getByTestId('oob-password').fill(BMC_PASSWORD);
    await oob.getByTestId('oob-store-password').click();
    await expect.poll(() => oob.getByTestId('oob-password').getAttribute('placeholder')).toBe('•••••••• stored');
    await oob.getByTestId('oob-read-status').click();
    await expect.poll(() => oob.getByTestId('oob-status').getAttribute('data-state')).toBe('on');
    expect(await oob.getByTestId('oob-status').textContent()).toContain('Chassis Power is on');
    await oob.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'config-out-of-band.png') });

    await pick(page, 'Restart Server');
    const dialog = page.getByTestId('action-dialog');
    // The dialog reads the recipe book first ("Reading the recipe…"), then shows the impact.
    await expect.poll(() => dialog.getByTestId('action-impact').textContent()).toMatch(/Reboots the server/);
    await expect
      .poll(() => dialog.getByTestId('action-differs').textContent())
      .toMatch(/Power Cycle is a hard reset through that controller, with no clean shutdown/);
    await page.screenshot({ path: path.join(SHOTS, 'restart-dialog.png') });
    expect(await runDialog(page)).toBe('succeeded');
    await closeDialog(page);
    expect(systemctlLog()).toContain('systemctl reboot');

    for (const [label, line] of [
      ['Stop Server', 'systemctl stop -- kamailio'],
      ['Start Server', 'systemctl start -- kamailio'],
    ] as const) {
      await pick(page, label);
      expect(await runDialog(page)).toBe('succeeded');
      await closeDialog(page);
      expect(systemctlLog()).toContain(line);
    }

    await pick(page, 'Power Cycle');
    await expect.poll(() => dialog.getByTestId('action-path').textContent()).toMatch(/never over SSH/);
    const command = dialog.getByTestId('action-servers').locator('code');
    expect(await command.textContent()).toBe(`ipmitool → BMC 127.0.0.1:${bmc.port} as admin: chassis power cycle`);
    expect(await command.getAttribute('title')).toBe(
      `ipmitool -I lanplus -H 127.0.0.1 -p ${bmc.port} -U admin -E -C 3 chassis power cycle`,
    );
    await page.screenshot({ path: path.join(SHOTS, 'power-cycle-dialog.png') });
    expect(await runDialog(page)).toBe('succeeded');
    expect(await dialog.getByTestId('run-output').textContent()).toContain('Chassis Power Control: Cycle');
    await closeDialog(page);
    await expect
      .poll(() => bmc.calls().includes('set power 0') && bmc.calls().lastIndexOf('set power 1') > bmc.calls().lastIndexOf('set power 0'))
      .toBe(true);

    await pick(page, 'OS Cycle');
    await expect.poll(() => dialog.getByTestId('action-differs').textContent()).toMatch(/never falls back to a hard reset/);
    await page.screenshot({ path: path.join(SHOTS, 'os-cycle-dialog.png') });
    expect(await runDialog(page, undefined, 60_000)).toBe('succeeded');
    const output = (await dialog.getByTestId('run-output').textContent()) ?? '';
    expect(output).toMatch(/chassis power soft[\s\S]*Chassis Power is off[\s\S]*chassis power on/);
    await page.screenshot({ path: path.join(SHOTS, 'os-cycle-done.png') });
    await closeDialog(page);
    const calls = bmc.calls();
    expect(calls.lastIndexOf('set power 1')).toBeGreaterThan(calls.lastIndexOf('set shutdown 1'));

    // The other server has no out-of-band method: the menu says so and links to its Config.
    await s.open(`#/servers/${otherId}`);
    await openMenu(page);
    expect(await page.locator('[data-action="os-cycle"]').getAttribute('data-available')).toBe('false');
    expect(await page.locator('[data-action="os-cycle"]').textContent()).toMatch(/edge-sw2 \(127\.0\.0\.51\) has no out-of-band method/);
    expect(await page.getByTestId('fix-power-cycle').getAttribute('href')).toBe(`#/servers/${otherId}/config`);
    await page.screenshot({ path: path.join(SHOTS, 'menu-no-out-of-band.png') });
    await page.keyboard.press('Escape');
  });

  test('Resize Capacity from the Summary tab: the warning, the typed count, then pending for 15 minutes', async () => {
    const { page } = s;
    await s.open(`#/servers/${serverId}`);
    expect(await page.getByTestId('channels-value').textContent()).toBe('200');
    await page.getByTestId('resize-channels-button').click();
    const dialog = page.getByTestId('action-dialog');
    expect(await dialog.getByTestId('resize-channels').inputValue()).toBe('200');
    expect(await dialog.getByTestId('run-action').isDisabled()).toBe(true);

    await dialog.getByTestId('resize-channels').fill('0');
    await dialog.getByText('New channel count must be at least 1 channel').waitFor();
    await dialog.getByTestId('resize-channels').fill('1500');
    await dialog.getByTestId('plan-warning').getByText('reboots the server as soon as you confirm').waitFor();
    expect(await dialog.locator('label[for="confirm-count"]').textContent()).toMatch(/Type 1500 \(the new channel count\) to confirm/);
    expect(await dialog.getByTestId('run-action').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'resize-dialog.png') });
    expect(await runDialog(page, '1500')).toBe('succeeded');
    await closeDialog(page);

    await expect.poll(() => page.getByTestId('channels-value').textContent()).toBe('1,500');
    await page.getByTestId('resize-pending').waitFor();
    expect(await page.getByTestId('resize-pending').textContent()).toMatch(
      /Pending, active at \d\d:\d\d: until then the server carries 200/,
    );
    expect(await page.getByTestId('resize-banner').textContent()).toMatch(/Resize pending, active at \d\d:\d\d/);
    await page.screenshot({ path: path.join(SHOTS, 'summary-resize-pending.png') });

    // The limits count the old size until then, and say so.
    await s.open('#/capacity');
    const pending = page.getByTestId('limits-now-pending');
    await pending.waitFor();
    expect(await pending.innerText()).toMatch(
      /edge-sw1.*resized to 1,500 channels, pending, active at \d\d:\d\d\. These limits count its 200 until then/,
    );
  });
});
