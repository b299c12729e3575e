// Screenshots of the APIBAN page with its schedule at work: `npx tsx scripts/apiban-screenshots.ts [OUTDIR]`
// (default .tmp/screenshots/apiban). Needs root: one server is a network namespace with a real
// sshd and nftables inside it (test/helpers/netns-sshd.ts), so its apply succeeds for real; a
// second cannot be reached and fails. A loopback APIBAN serves a feed that also lists private,
// loopback and malformed entries and the fleet's own address, so the dropped counts show. The
// servers are stopped: their addresses are public ones and the console must not probe them.
// Shots at 1600×900 and 1280×720 in both themes, the page scrolled to the top and to the bottom.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ServerDraft } from '../src/contract/fleet';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { addresses, startFakeApiban } from '../test/helpers/apiban-server';
import { startNetnsSshd } from '../test/helpers/netns-sshd';
import { fixture } from '../test/helpers/sshd';
import { copyToDocsAs, ok, openStage, outputDir, shootAll, until, type Shot } from './screenshot-kit';

const KEY = 'shots0123456789abcdef0123';

/** A stopped switch (its address is a public one the console must not probe) reached over `ssh`. */
function serverDraft(
  zoneId: string,
  ip: string,
  alias: string,
  ssh: { host: string; port: number; keyPath: string | null; auth: 'key' | 'agent' },
): ServerDraft {
  const base = defaultServerDraft(zoneId);
  return {
    ...base,
    ip,
    alias,
    channels: 1000,
    cps: 60,
    adminState: 'stopped',
    config: {
      ...base.config,
      interconnect: { ...base.config.interconnect, originationIngress: false, originationEgress: false },
      ports: { udp: 5060, tcp: 5060, tls: 5061 },
    },
    ssh: { ...base.ssh, ...ssh },
  };
}

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/apiban');
  const api = await startFakeApiban(KEY, [
    {
      ipaddress: [...addresses(0, 250), '45.33.10.20', '10.20.30.40', '127.0.0.1', '255.255.255.255', 'no-ip', '300.1.2.3'],
      id: '1734000001',
    },
    { ipaddress: [...addresses(250, 250), '192.168.10.5', '91.200.12.9'], id: '1734000002' },
    { ipaddress: addresses(500, 137), id: '1734000003' },
  ]);
  const ns = await startNetnsSshd();
  const stage = await openStage({ prepare: (dataDir) => writeFile(path.join(dataDir, 'known_hosts'), `${ns.knownHostsLine}\n`) });
  const { host, browser } = stage;
  try {
    const zone = await ok<{ id: string }>(host, 'fleet:create-zone', { name: 'EU-Central', description: 'Frankfurt' });
    const live = await ok<{ id: string }>(
      host,
      'fleet:create-server',
      serverDraft(zone.id, '45.33.10.20', 'fra-edge-1', {
        host: '127.0.0.1',
        port: ns.relayPort,
        keyPath: fixture('user_ed25519'),
        auth: 'key',
      }),
    );
    const dead = await ok<{ id: string }>(
      host,
      'fleet:create-server',
      serverDraft(zone.id, '45.33.10.21', 'fra-edge-2', { host: '127.0.0.1', port: 1, keyPath: null, auth: 'agent' }),
    );
    await ok(
      host,
      'fleet:create-server',
      serverDraft(zone.id, '45.33.10.22', 'fra-lab-1', { host: '127.0.0.1', port: 1, keyPath: null, auth: 'agent' }),
    );
    await ok(host, 'fleet:create-rtp', { ip: '45.33.10.30', alias: 'fra-rtp-1', zoneId: zone.id });
    await ok(host, 'apiban:add-allowed', { entry: '91.200.12.0/24', note: 'Carrier A signalling' });
    await ok(host, 'apiban:add-allowed', { entry: '185.70.40.17', note: 'Customer PBX (ticket NOC-2210)' });
    await ok(host, 'apiban:set-key', { key: KEY, baseUrl: api.baseUrl, httpHost: api.host });
    await until('the first sync', async () =>
      (await ok<{ lastSyncAt: number | null }>(host, 'apiban:status')).lastSyncAt === null ? null : true,
    );
    await ok(host, 'apiban:set-schedule', {
      intervalSec: 1800,
      targets: [
        { serverId: live.id, method: 'nftables' },
        { serverId: dead.id, method: 'ipset' },
      ],
    });
    await until('the scheduled applies', async () => {
      const status = await ok<{ applied: { serverId: string }[] }>(host, 'apiban:status');
      return status.applied.length >= 2 ? true : null;
    });

    const shots: Shot[] = [
      { name: 'apiban', prepare: async (page) => void (await page.locator('[data-testid="apiban-failing"]').waitFor()) },
      {
        name: 'apiban-bottom',
        prepare: async (page) => {
          await page.locator('[data-testid="apiban-allow-table"]').waitFor();
          await page.locator('main .page-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
        },
      },
      {
        name: 'apiban-refused-url',
        prepare: async (page) => {
          await page.locator('#apiban-base').fill('http://apiban.org');
          await page.locator('[data-testid="apiban-key"] button[type="submit"]').click();
          await page.locator('[data-field="apiban-base"] .field-error').waitFor();
        },
      },
    ];
    await shootAll(browser, host.url, outDir, shots, {
      hash: '#/apiban',
      ready: async (page: Page) => {
        await page
          .locator('[data-testid="live-indicator"][data-state="open"]')
          .waitFor()
          .catch(async (error: unknown) => {
            await page.screenshot({ path: path.join(outDir, 'failed.png') });
            throw error;
          });
        await page.locator('[data-testid="apiban-dropped"]').waitFor();
      },
      pointerAway: true,
      settle: 600,
    });
    await copyToDocsAs(outDir, [
      ['apiban-1600x900-dark', 'apiban-schedule-dark'],
      ['apiban-bottom-1600x900-light', 'apiban-allow-list-light'],
    ]);
  } finally {
    await stage.close();
    await ns.remove();
    await api.close();
  }
}

await main();
