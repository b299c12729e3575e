// Screenshots of the server actions as the reference words them:
// `npx tsx scripts/actions-reference-screenshots.ts [OUTDIR]` (default .tmp/screenshots/actions-reference).
// Starts the real test sshd (two loopback servers, `systemctl` a recording stand-in first on the
// session's PATH, since the real one would reboot this machine), OpenIPMI's ipmi_sim as the first
// server's BMC, and its own `switchyard serve`; sets a fleet install command, an IPMI method with
// its password, a Server Config change (Install recommended) and a resize (pending 15 minutes),
// then shoots the Actions menu with its reasons, each new dialog, a finished Power Cycle, the
// Summary's pending resize, the Config tab's out-of-band power, Settings and the Capacity page at
// 1600×900 and 1280×720 in both themes. Needs root (sshd) and the openipmi and ipmitool packages.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { formatKnownHostsLine } from '../src/domain/ssh/known-hosts';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { BMC_PASSWORD, BMC_USER, startIpmiSim } from '../test/helpers/ipmi-sim';
import { fixture, hostPublicKey, startSshd, TEST_USER } from '../test/helpers/sshd';
import { makeDataDir, ROOT } from '../test/e2e/fixtures';
import { copyToDocsAs, ok, openStage, outputDir, shootAll, until, type Shot, type Stage } from './screenshot-kit';

const ADDRESSES = ['127.0.0.60', '127.0.0.61'];

async function openMenu(page: Page): Promise<void> {
  await page.getByTestId('actions-menu').click();
  await page.getByTestId('actions-menu-list').waitFor();
  await page.locator('[data-testid="actions-menu-list"][data-state="checked"]').waitFor();
}

async function pick(page: Page, label: string): Promise<void> {
  await openMenu(page);
  await page.getByRole('menuitem', { name: label, exact: true }).click();
  await page.getByTestId('action-impact').locator('p').first().waitFor();
}

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/actions-reference');
  const dataDir = await makeDataDir();
  chmodSync(dataDir, 0o755);
  const stubs = path.join(dataDir, 'server-bin');
  mkdirSync(stubs, { mode: 0o755 });
  writeFileSync(path.join(stubs, 'systemctl'), '#!/bin/sh\necho "systemctl $*: ok"\n', { mode: 0o755 });
  writeFileSync(path.join(stubs, 'install.sh'), '#!/bin/sh\necho "installing the standard image"\n', { mode: 0o755 });
  writeFileSync(path.join(stubs, 'sip-resize'), '#!/bin/sh\necho "resized to $2 channels"\n', { mode: 0o755 });
  const sshd = await startSshd({ addresses: ADDRESSES, extraConfig: [`SetEnv PATH=${stubs}:/usr/bin:/bin`] });
  const bmc = await startIpmiSim({ shutdownMs: 1_000 }).catch(async (error: unknown) => {
    await sshd.stop();
    throw error;
  });
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
  let stage: Stage | undefined;
  try {
    stage = await openStage({ dataDir });
    const { host, browser } = stage;
    const zone = await ok<{ id: string }>(host, 'fleet:create-zone', { name: 'US-East', description: 'Ashburn' });
    const ids: string[] = [];
    for (const [i, ip] of ADDRESSES.entries()) {
      const server = await ok<{ id: string }>(host, 'fleet:create-server', {
        ...defaultServerDraft(zone.id),
        ip,
        alias: `us-east-sw${i + 1}`,
        type: 'switch',
        channels: 800,
        cps: 60,
        ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
      });
      ids.push(server.id);
    }
    const [sw1 = '', sw2 = ''] = ids;
    await ok(host, 'actions:set-install-command', { serverId: null, command: path.join(stubs, 'install.sh') });
    await ok(host, 'power:set-method', {
      serverId: sw1,
      method: { method: 'ipmi', host: bmc.host, port: bmc.port, user: BMC_USER, cipherSuite: 3 },
    });
    await ok(host, 'power:set-password', { serverId: sw1, password: BMC_PASSWORD });
    const run = await ok<{ id: string }>(host, 'actions:run', {
      action: 'resize',
      serverIds: [sw1],
      params: { channels: '1200' },
      confirmation: '1200',
    });
    await until(
      'the resize to finish',
      async () => ((await ok<{ status: string }>(host, 'actions:get-run', { id: run.id })).status === 'running' ? null : true),
      30_000,
      200,
    );
    const server = await ok<Record<string, unknown> & { config: Record<string, unknown> }>(host, 'fleet:get-server', { id: sw1 });
    const { id: _id, status: _s, installRecommended: _i, updatePending: _u, createdAt: _c, updatedAt: _d, ...draft } = server;
    await ok(host, 'fleet:update-server', {
      id: sw1,
      draft: { ...draft, config: { ...server.config, webrtcTls: true, fqdn: 'sw1.us-east.example.net' } },
    });

    const shots: Shot[] = [
      { name: 'menu-reasons', hash: `#/servers/${sw2}`, prepare: (page) => openMenu(page) },
      {
        name: 'install-dialog',
        hash: `#/servers/${sw1}`,
        prepare: async (page) => {
          await page.getByTestId('install-now').click();
          await page.getByTestId('install-command').waitFor();
          await page.waitForFunction(
            () => (document.querySelector('[data-testid="install-command"]') as HTMLInputElement | null)?.value !== '',
          );
        },
      },
      { name: 'restart-dialog', hash: `#/servers/${sw1}`, prepare: (page) => pick(page, 'Restart Server') },
      { name: 'os-cycle-dialog', hash: `#/servers/${sw1}`, prepare: (page) => pick(page, 'OS Cycle') },
      { name: 'power-cycle-dialog', hash: `#/servers/${sw1}`, prepare: (page) => pick(page, 'Power Cycle') },
      {
        name: 'power-cycle-done',
        hash: `#/servers/${sw1}`,
        prepare: async (page) => {
          await pick(page, 'Power Cycle');
          await page.getByTestId('run-action').click();
          await page.locator('[data-testid="action-run"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
        },
      },
      { name: 'restart-service-dialog', hash: `#/servers/${sw2}`, prepare: (page) => pick(page, 'Restart SIP service') },
      {
        name: 'resize-dialog',
        hash: `#/servers/${sw2}`,
        prepare: async (page) => {
          await page.getByTestId('resize-channels-button').click();
          await page.getByTestId('resize-channels').fill('1500');
          await page.getByTestId('plan-warning').waitFor();
          await page.getByTestId('confirm-count').waitFor();
        },
      },
      {
        name: 'summary-resize-pending',
        hash: `#/servers/${sw1}`,
        prepare: async (page) => void (await page.getByTestId('resize-pending').waitFor()),
      },
      {
        name: 'config-out-of-band',
        hash: `#/servers/${sw1}/config`,
        prepare: async (page) => {
          const oob = page.getByTestId('out-of-band-power');
          await oob.getByTestId('oob-read-status').click();
          await oob.locator('[data-testid="oob-status"][data-state="on"]').waitFor();
          await oob.evaluate((el) => el.scrollIntoView({ block: 'start' }));
        },
      },
      {
        name: 'settings-install-command',
        hash: '#/settings',
        prepare: async (page) => void (await page.getByTestId('fleet-install-command').waitFor()),
      },
      {
        name: 'capacity-pending',
        hash: '#/capacity',
        prepare: async (page) => void (await page.getByTestId('limits-now-pending').waitFor()),
      },
    ];
    await shootAll(browser, host.url, outDir, shots, { settle: 500 });
    await copyToDocsAs(outDir, [
      ['menu-reasons-1600x900-dark', 'actions-menu-reasons-dark'],
      ['os-cycle-dialog-1600x900-dark', 'actions-os-cycle-dark'],
      ['power-cycle-done-1600x900-light', 'actions-power-cycle-light'],
      ['resize-dialog-1600x900-dark', 'actions-resize-dark'],
      ['config-out-of-band-1600x900-light', 'server-out-of-band-light'],
    ]);
  } finally {
    // The stage removes the data folder, also when it failed to open.
    await stage?.close();
    await Promise.all([sshd.stop(), bmc.stop()]);
  }
}

await main();
