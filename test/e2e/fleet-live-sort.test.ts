// Sorting the fleet table by status follows the live status pushed by monitoring, not only what
// the last reload said; while the pointer is over the table the rows keep their places, and the
// table re-sorts as soon as the pointer leaves. A real kamailio stands in for one demo server
// (127.0.10.11), so it turns online while the servers with nothing listening go down.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startDemoKamailio, type DemoKamailio } from '../helpers/demo-kamailio';
import { callHost, openSession, type Session } from './fixtures';

/** Worst first, as the table ranks them. */
const RANK: Record<string, number> = { down: 0, expired: 1, degraded: 2, unknown: 3, stopped: 4, online: 5 };

let kamailio: DemoKamailio;
let s: Session;
beforeAll(async () => {
  kamailio = await startDemoKamailio(['127.0.10.11']);
}, 30_000);
afterAll(async () => {
  await kamailio.stop();
});
beforeEach(async () => {
  s = await openSession({ viewport: { width: 1400, height: 1000 } });
  expect((await callHost(s.host, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 })).ok).toBe(true);
});
afterEach(async () => {
  await s.close();
});

/** [ip, live status] of the rendered rows, top to bottom. */
async function rows(): Promise<[string, string][]> {
  return s.page
    .locator('.vt-row')
    .evaluateAll((els) =>
      els.map((el) => [
        el.querySelector('a')?.textContent?.trim() ?? '',
        el.querySelector('[data-icon-status]')?.getAttribute('data-icon-status') ?? '',
      ]),
    );
}

const ranks = (list: [string, string][]) => list.map(([, status]) => RANK[status] ?? -1);
const sorted = (xs: number[]) => xs.every((x, i) => i === 0 || (xs[i - 1] ?? 0) <= x);

describe('fleet table sorted by live status', () => {
  test('re-sorts on pushed status changes, but not under the pointer', async () => {
    const { page } = s;
    // The page reads the fleet before any probe has answered: every running server is unknown.
    await s.open('#/fleet');
    expect((await callHost(s.host, 'fleet:load-demo')).ok).toBe(true);
    await expect.poll(async () => (await rows()).length, { timeout: 15_000 }).toBeGreaterThan(5);
    await page.locator('.sort-btn', { hasText: 'Status' }).click();

    // Pointer over the table: statuses change in place, the order stays as it was.
    const wrap = page.getByTestId('fleet-table-wrap');
    await wrap.hover({ position: { x: 600, y: 200 } });
    await expect.poll(() => wrap.getAttribute('data-holding')).toBe('true');
    const held = (await rows()).map(([ip]) => ip);
    const online = page.locator('.vt-row', { hasText: '127.0.10.11' }).first().locator('[data-icon-status]');
    await expect.poll(() => online.getAttribute('data-icon-status'), { timeout: 30_000 }).toBe('online');
    await expect.poll(async () => (await rows()).some(([, st]) => st === 'down'), { timeout: 30_000 }).toBe(true);
    expect((await rows()).map(([ip]) => ip)).toEqual(held);
    expect(sorted(ranks(await rows()))).toBe(false);

    // Pointer gone: worst first by the live status, the online server after every down one,
    // with no reload of the fleet in between.
    await page.mouse.move(2, 500);
    await expect.poll(() => wrap.getAttribute('data-holding')).toBe('false');
    await expect.poll(async () => sorted(ranks(await rows())), { timeout: 10_000 }).toBe(true);
    const order = await rows();
    const at = order.findIndex(([ip]) => ip === '127.0.10.11');
    expect(at).toBeGreaterThan(order.map(([, st]) => st).lastIndexOf('down'));
    expect(order[0]?.[1]).toBe('down');

    // Live changes keep it sorted while the pointer stays away.
    await kamailio.stop();
    await expect.poll(() => online.getAttribute('data-icon-status'), { timeout: 30_000 }).not.toBe('online');
    await expect.poll(async () => sorted(ranks(await rows())), { timeout: 10_000 }).toBe(true);
  });
});
