// Screenshots of the APIBAN page with its schedule at work: `npx tsx scripts/apiban-screenshots.ts [OUTDIR]`
// (default .tmp/screenshots/apiban). Needs root: one server is a network namespace with a real
// sshd and nftables inside it (test/helpers/netns-sshd.ts), so its apply succeeds for real; a
// second cannot be reached and fails. A loopback APIBAN serves a feed that also lists private,
// loopback and malformed entries and the fleet's own address, so the dropped counts show. The
// servers are stopped: their addresses are public ones and the console must not probe them.
// Shots at 1600×900 and 1280×720 in both themes, the page scrolled to the top and to the bottom.
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { addresses, startFakeApiban } from '../test/helpers/apiban-server';
import { startNetnsSshd } from '../test/helpers/netns-sshd';
import { fixture } from '../test/helpers/sshd';
import { launchBrowser, makeDataDir, ROOT, startHost } from '../test/e2e/fixtures';
import { ok } from './screenshot-kit';

const SIZES = [
  { width: 1600, height: 900 },
  { width: 1280, height: 720 },
] as const;
const THEMES = ['dark', 'light'] as const;
const KEY = 'shots0123456789abcdef0123';

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function serverDraft(
  zoneId: string,
  ip: string,
  alias: string,
  ssh: { host: string; port: number; keyPath: string | null; auth: 'key' | 'agent' },
) {
  return {
    ip,
    alias,
    type: 'switch',
    clusterId: null,
    zoneId,
    channels: 1000,
    cps: 60,
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
    ssh: { ...ssh, user: 'root', jumpHost: null },
  };
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, '.tmp/screenshots/apiban'));
  await mkdir(outDir, { recursive: true });
  const api = await startFakeApiban(KEY, [
    {
      ipaddress: [...addresses(0, 250), '45.33.10.20', '10.20.30.40', '127.0.0.1', '255.255.255.255', 'no-ip', '300.1.2.3'],
      id: '1734000001',
    },
    { ipaddress: [...addresses(250, 250), '192.168.10.5', '91.200.12.9'], id: '1734000002' },
    { ipaddress: addresses(500, 137), id: '1734000003' },
  ]);
  const ns = await startNetnsSshd();
  const dataDir = await makeDataDir();
  await writeFile(path.join(dataDir, 'known_hosts'), `${ns.knownHostsLine}\n`);
  const host = await startHost(dataDir);
  const browser = await launchBrowser();
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

    type Shot = { name: string; prepare?: (page: Page) => Promise<void> };
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
    for (const size of SIZES) {
      for (const theme of THEMES) {
        for (const shot of shots) {
          const context = await browser.newContext({ viewport: size });
          await context.addInitScript(`localStorage.setItem('switchyard.theme', ${JSON.stringify(theme)})`);
          const page = await context.newPage();
          try {
            await page.goto(`${host.url}#/apiban`);
            await page
              .locator('[data-testid="live-indicator"][data-state="open"]')
              .waitFor()
              .catch(async (error: unknown) => {
                await page.screenshot({ path: path.join(outDir, 'failed.png') });
                throw error;
              });
            await page.locator('[data-testid="apiban-dropped"]').waitFor();
            await shot.prepare?.(page);
            await page.mouse.move(size.width - 2, size.height - 2);
            await page.waitForTimeout(600);
            await page.screenshot({ path: path.join(outDir, `${shot.name}-${size.width}x${size.height}-${theme}.png`) });
          } finally {
            await context.close();
          }
        }
      }
    }
    const docs = path.join(ROOT, 'docs/screenshots');
    await mkdir(docs, { recursive: true });
    await copyFile(path.join(outDir, 'apiban-1600x900-dark.png'), path.join(docs, 'apiban-schedule-dark.png'));
    await copyFile(path.join(outDir, 'apiban-bottom-1600x900-light.png'), path.join(docs, 'apiban-allow-list-light.png'));
  } finally {
    await browser.close();
    await host.stop();
    await ns.remove();
    await api.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
