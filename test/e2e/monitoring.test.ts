// Live monitoring in Chromium: the demo fleet with a real kamailio standing in for one demo
// server (127.0.10.11), probed by the real host. The fleet row shows it online with a hover card
// and a sparkline; its chart fills with live points and switches ranges and views; the overview
// wall renders, worst first.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { startDemoKamailio, type DemoKamailio } from '../helpers/demo-kamailio';
import { callHost, openSession, type Session } from './fixtures';

let kamailio: DemoKamailio;
let s: Session;
beforeAll(async () => {
  kamailio = await startDemoKamailio(['127.0.10.11']);
}, 30_000);
afterAll(async () => {
  await kamailio.stop();
});
beforeEach(async () => {
  s = await openSession();
  expect((await callHost(s.host, 'fleet:load-demo')).ok).toBe(true);
  expect((await callHost(s.host, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 })).ok).toBe(true);
});
afterEach(async () => {
  await s.close();
});

async function serverAt(ip: string): Promise<Server> {
  const list = (await callHost<Server[]>(s.host, 'fleet:list-servers')).data ?? [];
  const found = list.find((x) => x.ip === ip);
  if (!found) throw new Error(`no demo server at ${ip}`);
  return found;
}

describe('live monitoring', () => {
  test('the answering demo server is online, with a hover card and a sparkline; the others go down', async () => {
    const { page } = s;
    await s.open('#/fleet');
    const row = page.locator('.vt-row', { hasText: '127.0.10.11' }).first();
    await expect.poll(() => row.locator('[data-icon-status]').getAttribute('data-icon-status'), { timeout: 20_000 }).toBe('online');
    await expect.poll(async () => (await serverAt('127.0.10.2')).status, { timeout: 20_000 }).toBe('down');
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('online');
    await expect.poll(() => page.getByTestId('icmp-backend').textContent()).toMatch(/ICMP: (fping|ping)/);

    await row.getByTestId('status-icon').hover();
    const card = page.getByTestId('latency-card');
    await card.waitFor();
    await expect.poll(() => card.getByTestId('card-sip').textContent()).toMatch(/^\d+(\.\d+)? ms200$/);
    expect(await card.getByTestId('card-icmp').textContent()).toMatch(/^\d+(\.\d+)? ms$/);
    // The SIP line (drawn last, over ICMP) has one vertex per probe: it grows as probes arrive.
    const sipPath = card.getByTestId('card-sparkline').locator('path').last();
    await expect
      .poll(async () => ((await sipPath.getAttribute('d')) ?? '').split('L').length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);
    await page.mouse.move(5, 5);
    await card.waitFor({ state: 'detached' });
  });

  test('the server chart fills with live points, switches ranges and views, and the overview renders', async () => {
    const { page } = s;
    const server = await serverAt('127.0.10.11');
    await s.open(`#/servers/${server.id}`);
    const chart = page.getByTestId('latency-chart');
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    const before = Number(await chart.getAttribute('data-points'));
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThan(before);
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    await page.getByTestId('range-24h').click();
    await expect.poll(() => chart.getAttribute('data-range')).toBe('24h');
    await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
    await page.getByTestId('view-smoke').click();
    expect(await chart.getAttribute('data-view')).toBe('smoke');

    await s.open('#/overview');
    const tiles = page.getByTestId('overview-tile');
    const total = (await callHost<Server[]>(s.host, 'fleet:list-servers')).data?.length ?? 0;
    await expect.poll(() => tiles.count()).toBe(total);
    // Worst first: down servers lead, the online one comes after them.
    await expect.poll(async () => tiles.first().getAttribute('data-status'), { timeout: 20_000 }).toBe('down');
    await expect
      .poll(async () => (await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).includes('online'), {
        timeout: 20_000,
      })
      .toBe(true);
    const order = await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(order.indexOf('online')).toBeGreaterThan(order.lastIndexOf('down'));
    await expect.poll(() => page.getByTestId('events-list').locator('li').count(), { timeout: 20_000 }).toBeGreaterThan(0);
  });
});
