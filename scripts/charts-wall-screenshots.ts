// Screenshots of the charts and screens of issue 19: `npx tsx scripts/charts-wall-screenshots.ts OUTDIR [ONLY]`
// (ONLY: shoot just the names containing it, e.g. `overview`).
// Kamailio answers on a few demo addresses (the rest of the demo fleet does not), `switchyard
// serve` probes the demo fleet at 1 s, and one server gets a patchy week of history written into
// the store (a workstation that was on now and then, with some loss). Shot in both themes: the
// server chart at 24 h, 7 d and 30 d, the Overview as a wall at 1600×900 and 1280×720, the
// Clusters and Zones pages with their health roll-ups, and the Snapshots page after a save.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Sample } from '../src/domain/monitoring/sample';
import { openStore } from '../src/services/store/store';
import { startDemoKamailio } from '../test/helpers/demo-kamailio';
import { ok, openStage, shootOne, SIZES, type Size } from './screenshot-kit';

const [BIG, SMALL] = SIZES;
const ANSWERING = ['127.0.10.1', '127.0.10.11', '127.0.10.12', '127.0.20.11', '127.0.30.11'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A few stretches of probes every 5 minutes over the past week, a lost one now and then. */
function patchyWeek(serverId: string, now: number): Sample[] {
  const out: Sample[] = [];
  const stretches: [startHoursAgo: number, hours: number][] = [
    [150, 3],
    [100, 1],
    [72, 0.1],
    [30, 5],
    [6, 2],
  ];
  for (const [ago, hours] of stretches) {
    for (let t = now - ago * HOUR; t < now - (ago - hours) * HOUR; t += 5 * MINUTE) {
      const wave = 3 + 2 * Math.sin(t / (3 * HOUR));
      const lost = Math.floor(t / (5 * MINUTE)) % 17 === 0;
      out.push({
        serverId,
        kind: 'sip-udp',
        at: t,
        rttMs: lost ? null : Math.round((wave + 1.5) * 1000) / 1000,
        ...(lost ? {} : { code: 200 }),
      });
      out.push({ serverId, kind: 'icmp', at: t + 500, rttMs: Math.round(wave * 1000) / 1000 });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
  const only = process.argv[3] ?? '';
  await mkdir(outDir, { recursive: true });
  const kamailio = await startDemoKamailio(ANSWERING);
  const stage = await openStage();
  const { host, browser, dataDir } = stage;
  try {
    await ok(host, 'fleet:load-demo');
    await ok(host, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 });
    const servers = await ok<{ id: string; ip: string }[]>(host, 'fleet:list-servers');
    const sw1 = servers.find((s) => s.ip === '127.0.10.11');
    if (!sw1) throw new Error('demo server 127.0.10.11 missing');
    const store = openStore({ file: path.join(dataDir, 'switchyard.db') });
    store.samples.insertBatch(patchyWeek(sw1.id, Date.now() - 10 * MINUTE));
    store.close();
    await ok(host, 'snapshots:save', { file: 'before-change', note: 'CHG-4711 before the capacity change' });
    // Long enough for every probed server to settle on a status.
    await new Promise((r) => setTimeout(r, 15_000));

    const shoot = async (theme: string, size: Size, hash: string, name: string, prepare?: (page: Page) => Promise<void>) => {
      if (name.includes(only)) await shootOne(browser, host.url, outDir, { name, hash, prepare }, size, theme);
    };
    const chartAt = (range: string) => async (page: Page) => {
      await page.getByTestId(`range-${range}`).click();
      const chart = page.getByTestId('latency-chart');
      await page.waitForFunction(
        (r) =>
          document.querySelector('[data-testid="latency-chart"]')?.getAttribute('data-range') === r &&
          Number(document.querySelector('[data-testid="latency-chart"]')?.getAttribute('data-points')) > 0,
        range,
      );
      await chart.scrollIntoViewIfNeeded();
      await page.mouse.move(5, 5);
      await page.waitForTimeout(400);
    };
    const wall = async (page: Page) => {
      await page.getByTestId('overview-tile').first().waitFor();
      if ((await page.getByTestId('overview').getAttribute('data-wall')) !== 'true') await page.getByTestId('wall-toggle').click();
      await page.waitForTimeout(300);
    };

    for (const theme of ['dark', 'light']) {
      for (const range of ['24h', '7d', '30d']) await shoot(theme, BIG, `#/servers/${sw1.id}`, `chart-${range}`, chartAt(range));
      await shoot(theme, BIG, '#/overview', 'overview-wall', wall);
      await shoot(theme, SMALL, '#/overview', 'overview-wall', wall);
      await shoot(theme, BIG, '#/clusters', 'clusters-rollup', (p) => p.getByTestId('health-rollup').first().waitFor());
    }
    await shoot('dark', BIG, '#/overview', 'overview-live', (p) => p.getByTestId('overview-tile').first().waitFor());
    await shoot('dark', BIG, '#/zones', 'zones-rollup', (p) => p.getByTestId('health-rollup').first().waitFor());
    await shoot('dark', BIG, '#/rtp', 'rtp-health');
    await shoot('dark', SMALL, '#/snapshots', 'snapshots-saved-by', (p) => p.locator('tr[data-file="before-change.snapshot"]').waitFor());
  } finally {
    await stage.close();
    await kamailio.stop();
  }
}

await main();
