// Charts and screens in Chromium, on one host with the demo fleet and a real kamailio answering
// for one demo server (127.0.10.11), so live state holds both online and down servers. The
// browser runs in another zone (Asia/Kolkata, UTC+5:30) than the host, so a chart that names the
// zone is seen to name the workstation's. History older than raw retention is written straight
// into the host's database (the host reads it on every chart call), as the snapshot screenshots do.
import { userInfo } from 'node:os';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { openStore } from '../../src/services/store/store';
import { startDemoKamailio, type DemoKamailio } from '../helpers/demo-kamailio';
import { callHost, launchBrowser, makeDataDir, startHost, type Host } from './fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let kamailio: DemoKamailio;
let host: Host;
let browser: Browser;
let page: Page;
let dataDir: string;
let servers: Server[];

beforeAll(async () => {
  [kamailio, dataDir] = await Promise.all([startDemoKamailio(['127.0.10.11']), makeDataDir()]);
  host = await startHost(dataDir);
  expect((await callHost(host, 'fleet:load-demo')).ok).toBe(true);
  expect((await callHost(host, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 })).ok).toBe(true);
  servers = (await callHost<Server[]>(host, 'fleet:list-servers')).data ?? [];
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, timezoneId: 'Asia/Kolkata' });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await host?.stop();
  await kamailio?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function open(hash: string): Promise<void> {
  await page.goto(`${host.url}${hash}`);
  await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
  await page.locator('main .page, main .page-body').first().waitFor();
}

function serverAt(ip: string): Server {
  const found = servers.find((s) => s.ip === ip);
  if (!found) throw new Error(`no demo server at ${ip}`);
  return found;
}

/** Pixels of the SIP blue (#4c9dff) drawn inside the plot (below the legend row). */
function sipPixels(): Promise<number> {
  return page
    .getByTestId('latency-chart')
    .locator('canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d');
      if (!ctx) return 0;
      const top = Math.round(32 * (canvas.width / canvas.clientWidth));
      const { data } = ctx.getImageData(0, top, canvas.width, canvas.height - top);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs((data[i] ?? 0) - 76) < 30 && Math.abs((data[i + 1] ?? 0) - 157) < 30 && Math.abs((data[i + 2] ?? 0) - 255) < 30)
          n += 1;
      }
      return n;
    });
}

describe('charts and screens', () => {
  test('a sparse 7-day chart shows its points, 5 m smoke reads raw samples, and the zone is named', async () => {
    const sw2 = serverAt('127.0.10.12');
    // One probe of each kind three days ago: past raw retention, so the 7-day chart reads one
    // hour point per kind and nothing else (nothing answers on 127.0.10.12 now: live probes are losses).
    const store = openStore({ file: path.join(dataDir, 'switchyard.db') });
    const at = Date.now() - 3 * DAY;
    store.samples.insertBatch([
      { serverId: sw2.id, kind: 'sip-udp', at, rttMs: 42, code: 200 },
      { serverId: sw2.id, kind: 'icmp', at: at + 1_000, rttMs: 21 },
    ]);
    store.close();

    await open(`#/servers/${sw2.id}`);
    const chart = page.getByTestId('latency-chart');
    // The zone of this browser, not the host's: local time, named.
    // (Chromium may name it by its older alias, Asia/Calcutta.)
    await expect.poll(() => page.getByTestId('chart-zone').textContent()).toMatch(/^Asia\/(Kolkata|Calcutta) \(UTC\+5:30\)$/);
    await page.getByTestId('range-7d').click();
    await expect.poll(() => chart.getAttribute('data-range')).toBe('7d');
    await expect.poll(() => chart.getAttribute('data-resolution')).toBe('hour');
    await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    // The lone SIP point is drawn as a marker: SIP blue appears in the plot.
    await expect.poll(sipPixels, { timeout: 10_000 }).toBeGreaterThan(12);

    // 5 minutes in the smoke view: a distribution per step needs raw samples, not 5 minute rollups.
    const sw1 = serverAt('127.0.10.11');
    await open(`#/servers/${sw1.id}`);
    await page.getByTestId('view-smoke').click();
    await expect.poll(() => chart.getAttribute('data-view')).toBe('smoke');
    await expect.poll(() => chart.getAttribute('data-range')).toBe('5m');
    await expect.poll(() => chart.getAttribute('data-resolution')).toBe('raw');
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThan(0);
  });

  test('the Wall toggle enlarges the live tiles, says each status in words and is remembered', async () => {
    await open('#/overview');
    const tiles = page.getByTestId('overview-tile');
    await expect.poll(() => tiles.count()).toBe(servers.length);
    // Live mode: tiles stay links to their server.
    expect(await tiles.first().evaluate((el) => el.tagName)).toBe('A');
    await expect.poll(() => tiles.first().getAttribute('data-status'), { timeout: 20_000 }).toBe('down');
    const word = tiles.first().getByTestId('tile-status');
    // In words, not colour alone ("Down", or "SIP down, host up" when ping still answers).
    expect(await word.textContent()).toMatch(/down/i);
    const size = () => word.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const small = { word: await size(), height: (await tiles.first().boundingBox())?.height ?? 0 };

    await page.getByTestId('wall-toggle').click();
    await expect.poll(() => page.getByTestId('overview').getAttribute('data-wall')).toBe('true');
    expect(await size()).toBeGreaterThanOrEqual(2 * small.word);
    expect((await tiles.first().boundingBox())?.height ?? 0).toBeGreaterThan(small.height);
    // Nothing on a tile is small print from across a room.
    const smallest = await tiles
      .first()
      .evaluate((tile) =>
        Math.min(
          ...[...tile.querySelectorAll('*')]
            .filter((e) => (e.textContent ?? '').trim() !== '' && e.children.length === 0)
            .map((e) => parseFloat(getComputedStyle(e).fontSize)),
        ),
      );
    expect(smallest).toBeGreaterThanOrEqual(16);
    // The tiles fill the row beside the events: no wide empty gap.
    const gap = await page.evaluate(() => {
      const tile = [...document.querySelectorAll('[data-testid="overview-tile"]')].reduce(
        (m, e) => Math.max(m, e.getBoundingClientRect().right),
        0,
      );
      return (document.querySelector('[data-testid="events-list"]')?.getBoundingClientRect().left ?? 0) - tile;
    });
    expect(gap).toBeLessThan(40);
    expect(await tiles.first().evaluate((el) => el.tagName)).toBe('A');

    await page.reload();
    await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
    await expect.poll(() => page.getByTestId('overview').getAttribute('data-wall')).toBe('true');
    await page.getByTestId('wall-toggle').click();
    await expect.poll(() => page.getByTestId('overview').getAttribute('data-wall')).toBe('false');
  });

  test('a cluster rolls up its members by live status, and a snapshot just saved reads "just now"', async () => {
    await open('#/clusters');
    const rollup = page.locator('tr[data-name="core-us"]').getByTestId('health-rollup');
    // The roll-up agrees with the host's live statuses of the cluster's six members. 127.0.10.11
    // answers (kamailio), nothing answers on the other five; on a loaded machine the answering one
    // may miss a deadline now and then, so the comparison is with what the host says at the time.
    const hostCounts = async () => {
      const list = (await callHost<Server[]>(host, 'fleet:list-servers')).data ?? [];
      const members = list.filter((x) => x.ip.startsWith('127.0.10.'));
      const n = (st: string) => String(members.filter((x) => x.status === st).length);
      return [n('online'), n('degraded'), n('down')];
    };
    const shown = async () => ['data-up', 'data-degraded', 'data-down'].map((a) => rollup.getAttribute(a));
    await expect.poll(async () => Number(await rollup.getAttribute('data-down')), { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
    await expect
      .poll(async () => JSON.stringify(await Promise.all(await shown())) === JSON.stringify(await hostCounts()), { timeout: 20_000 })
      .toBe(true);
    expect(await rollup.textContent()).toMatch(/\d up.*\d degraded.*\d down/s);

    await open('#/snapshots');
    await page.getByTestId('snapshot-name').fill('right-now');
    await page.getByTestId('snapshot-save').click();
    const row = page.locator('tr[data-file="right-now.snapshot"]');
    await row.waitFor();
    expect(await row.locator('time').textContent()).toBe('just now');
    // Who saved it (the host's OS user), and the version in a column of its own.
    expect((await row.getByTestId('snapshot-saved-by').textContent())?.trim()).toBe(userInfo().username);
    expect(await row.locator('td', { hasText: /^v\d/ }).count()).toBe(1);
  });
});
