// Screenshots of the monitoring screens with LIVE data: `npx tsx scripts/monitoring-screenshots.ts OUTDIR`.
// Starts kamailio on a few demo addresses (they answer, the rest of the demo fleet does not),
// its own `switchyard serve` on the demo fleet, probes at 1 s for half a minute, then shoots the
// fleet hover card, the server chart (line and smoke), the overview in both themes, the
// overview of a 1,000-server fleet and the fleet sorted by live status.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoKamailio } from '../test/helpers/demo-kamailio';
import { callHost, makeDataDir, startHost, type Host } from '../test/e2e/fixtures';
import { openStage, shootOne, SIZES, THEMES } from './screenshot-kit';

const [SIZE] = SIZES;
const ANSWERING = ['127.0.10.1', '127.0.10.11', '127.0.10.12', '127.0.20.11', '127.0.30.11'];

/** 1,000 servers on loopback addresses where nothing answers SIP (ICMP does): a fleet in trouble. */
function bigFleetJson(count: number): string {
  const zones = ['us-east', 'eu-west', 'uk-london', 'ap-south'];
  const servers = Array.from({ length: count }, (_, i) => ({
    ip: `127.${Math.floor(i / 250) + 100}.${i % 250}.${((i * 7) % 250) + 2}`,
    alias: `${zones[i % zones.length]}-sw${String(i).padStart(4, '0')}`,
    type: 'switch',
    zone: zones[i % zones.length],
    adminState: i % 13 === 0 ? 'stopped' : 'running',
  }));
  return JSON.stringify({ switchyard: 'fleet', version: 1, servers });
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'screenshots');
  await mkdir(outDir, { recursive: true });
  const kamailio = await startDemoKamailio(ANSWERING);
  const stage = await openStage();
  const { host, browser } = stage;
  const bigDir = await makeDataDir();
  const big = await startHost(bigDir);
  try {
    await callHost(host, 'fleet:load-demo');
    await callHost(host, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 });
    await callHost(big, 'fleet:import', { format: 'json', text: bigFleetJson(1_000) });
    await new Promise((r) => setTimeout(r, 40_000));
    const servers = (await callHost<{ id: string; ip: string }[]>(host, 'fleet:list-servers')).data ?? [];
    const sw1 = servers.find((s) => s.ip === '127.0.10.11');
    if (!sw1) throw new Error('demo server 127.0.10.11 missing');

    const shoot = (h: Host, theme: string, hash: string, name: string, prepare?: (page: Page) => Promise<void>) =>
      shootOne(browser, h.url, outDir, { name, hash, prepare }, SIZE, theme);
    const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

    await shoot(host, 'dark', '#/fleet', 'fleet-hover', async (page) => {
      const row = page.locator('.vt-row', { hasText: '127.0.10.11' }).first();
      await row.getByTestId('status-icon').hover();
      await page.getByTestId('latency-card').waitFor();
      await settle(300);
    });
    await shoot(host, 'dark', '#/fleet', 'fleet-hover-degraded', async (page) => {
      await page
        .locator('.vt-row', { hasText: '127.0.10.1 ' })
        .first()
        .getByTestId('status-icon')
        .hover()
        .catch(async () => {
          await page.locator('.vt-row').first().getByTestId('status-icon').hover();
        });
      await page.getByTestId('latency-card').waitFor();
      await settle(300);
    });
    for (const theme of THEMES) {
      await shoot(host, theme, `#/servers/${sw1.id}`, 'server-chart-line', async (page) => {
        await page.locator('[data-testid="latency-chart"]:not([data-points="0"])').waitFor();
        await settle(800);
      });
    }
    await shoot(host, 'dark', `#/servers/${sw1.id}`, 'server-chart-smoke', async (page) => {
      await page.getByTestId('view-smoke').click();
      await settle(800);
    });
    for (const theme of THEMES) {
      await shoot(host, theme, '#/overview', 'overview', async () => {
        await settle(800);
      });
    }
    await shoot(big, 'dark', '#/overview', 'overview-1000', async () => {
      await settle(1_500);
    });
    await shoot(big, 'dark', '#/fleet', 'fleet-1000-live', async () => {
      await settle(1_000);
    });
    // Sorted by status, worst first: the order follows the pushed statuses (pointer off the table).
    await shoot(host, 'dark', '#/fleet', 'fleet-sorted-status-live', async (page) => {
      await page.locator('.sort-btn', { hasText: 'Status' }).click();
      await page.mouse.move(2, SIZE.height - 2);
      await settle(1_500);
    });
  } finally {
    await stage.close();
    await big.stop();
    await kamailio.stop();
    await rm(bigDir, { recursive: true, force: true });
  }
}

await main();
