// Screenshots of vantage points with REAL peers: `npx tsx scripts/vantage-screenshots.ts [OUTDIR]`
// (default .tmp/screenshots/vantage; needs root for sshd). Two dispatchers are real sshds on
// loopback whose sessions run the real fping, each streaming to the switches of its cluster, an RTP
// server and a carrier address. us-east-lb1 also has sipsak and sends SIP OPTIONS to the switches:
// us-east-sw1 is a real Kamailio on 127.0.0.1. us-east-lb2's sessions get a PATH without sipsak
// (sshd's SetEnv), so its paths are ICMP only. `switchyard serve` runs with vantage probes on at
// 1 s; after a minute of samples the script shoots the Settings section and the switch's chart from
// each dispatcher in the smoke view (SIP and ICMP from lb1, ICMP only from lb2), at 1600×900 and
// 1280×720 in both themes, and copies three of them to docs/screenshots.
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { defaultServerDraft } from '../src/domain/fleet/defaults';
import { seedKnownHosts } from '../test/helpers/actions-fixtures';
import { startKamailio } from '../test/helpers/kamailio';
import { fixture, startSshd, TEST_USER } from '../test/helpers/sshd';
import { launchBrowser, makeDataDir, ROOT, startHost, type Host } from '../test/e2e/fixtures';
import { ok, ready } from './screenshot-kit';

const SIZES = [
  { width: 1600, height: 900 },
  { width: 1280, height: 720 },
] as const;
const THEMES = ['dark', 'light'] as const;
const LB = '127.0.94.1';
const LB_NEW = '127.0.94.2';

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, '.tmp/screenshots/vantage'));
  await mkdir(outDir, { recursive: true });
  const sshd = await startSshd({ addresses: [LB] });
  // A server without sipsak: its sessions find fping and a shell, nothing else.
  const bin = await mkdtemp(path.join(os.tmpdir(), 'switchyard-no-sipsak-'));
  await chmod(bin, 0o755);
  for (const tool of ['sh', 'env', 'head', 'fping']) await symlink(`/usr/bin/${tool}`, path.join(bin, tool));
  const sshdNoSipsak = await startSshd({ addresses: [LB_NEW], port: sshd.port, extraConfig: [`SetEnv PATH=${bin}`] });
  const kamailio = await startKamailio();
  const dataDir = await makeDataDir();
  seedKnownHosts(dataDir, [LB, LB_NEW], sshd.port);
  let host: Host | null = null;
  const browser = await launchBrowser();
  try {
    host = await startHost(dataDir);
    const h = host;
    const zone = (await ok<{ id: string }>(h, 'fleet:create-zone', { name: 'US-East', description: 'Ashburn, VA' })).id;
    const cluster = (await ok<{ id: string }>(h, 'fleet:create-cluster', { name: 'core-us', description: '' })).id;
    const ssh = { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null };
    const add = (ip: string, alias: string, type: 'dispatcher' | 'switch', udp = 5060) => {
      const d = defaultServerDraft(zone);
      return ok<{ id: string }>(h, 'fleet:create-server', {
        ...d,
        ip,
        alias,
        type,
        clusterId: cluster,
        channels: 500,
        cps: 50,
        ssh,
        config: { ...d.config, ports: { ...d.config.ports, udp } },
      });
    };
    const lb = await add(LB, 'us-east-lb1', 'dispatcher');
    const lb2 = await add(LB_NEW, 'us-east-lb2', 'dispatcher');
    const sw = await add('127.0.0.1', 'us-east-sw1', 'switch', kamailio.ports.ok);
    await add('127.0.94.12', 'us-east-sw2', 'switch');
    await ok(h, 'fleet:create-rtp', { ip: '127.0.94.21', alias: 'rtp-east-1', zoneId: zone });
    await ok(h, 'vantage:save-settings', {
      enabled: true,
      sources: 'dispatchers',
      chosen: [],
      intervalSec: 1,
      switches: true,
      rtp: true,
      targets: [{ address: '127.0.94.31', label: 'Carrier A (SBC)' }],
    });
    // A minute of 1 s samples: enough steps with five probes each for the 5-minute smoke view.
    await new Promise((r) => setTimeout(r, 70_000));

    const shots: { name: string; hash: string; prepare(page: Page): Promise<void>; element?: string }[] = [
      {
        name: 'vantage-settings',
        hash: '#/settings',
        element: '[data-testid="vantage-settings"]',
        prepare: async (page) => {
          await page.locator('[data-testid="vantage-stream"][data-state="streaming"]').first().waitFor();
        },
      },
      {
        name: 'vantage-smoke',
        hash: `#/servers/${sw.id}`,
        prepare: async (page) => {
          const chart = page.getByTestId('latency-chart');
          await chart.getByTestId('chart-source').selectOption(lb.id);
          await chart.getByTestId('view-smoke').click();
          await page.waitForFunction(() => {
            const el = document.querySelector('[data-testid="latency-chart"]');
            return Number(el?.getAttribute('data-points')) > 5 && el?.getAttribute('data-kinds') === 'sip-udp icmp';
          });
        },
      },
      {
        name: 'vantage-smoke-icmp-only',
        hash: `#/servers/${sw.id}`,
        prepare: async (page) => {
          const chart = page.getByTestId('latency-chart');
          await chart.getByTestId('chart-source').selectOption(lb2.id);
          await chart.getByTestId('view-smoke').click();
          await page.waitForFunction((id) => {
            const el = document.querySelector('[data-testid="latency-chart"]');
            return (
              el?.getAttribute('data-source') === id &&
              Number(el.getAttribute('data-points')) > 5 &&
              el.getAttribute('data-kinds') === 'icmp'
            );
          }, lb2.id);
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
            await page.goto(`${h.url}${shot.hash}`);
            await ready(page);
            await shot.prepare(page);
            await page.mouse.move(size.width - 2, size.height - 2);
            await page.waitForTimeout(800);
            const file = path.join(outDir, `${shot.name}-${size.width}x${size.height}-${theme}.png`);
            if (shot.element) await page.locator(shot.element).screenshot({ path: file });
            else await page.screenshot({ path: file });
          } finally {
            await context.close();
          }
        }
      }
    }
    const docs = path.join(ROOT, 'docs/screenshots');
    await mkdir(docs, { recursive: true });
    await copyFile(path.join(outDir, 'vantage-smoke-1600x900-dark.png'), path.join(docs, 'vantage-smoke-dark.png'));
    await copyFile(path.join(outDir, 'vantage-smoke-icmp-only-1600x900-dark.png'), path.join(docs, 'vantage-smoke-icmp-only-dark.png'));
    await copyFile(path.join(outDir, 'vantage-settings-1600x900-light.png'), path.join(docs, 'vantage-settings-light.png'));
  } finally {
    await browser.close();
    await host?.stop();
    await sshd.stop();
    await sshdNoSipsak.stop();
    await kamailio.stop();
    await rm(bin, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
