import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Cluster, Server } from '../../src/contract/fleet';
import { callHost, importServers, openSession, type Session } from './fixtures';

let s: Session;
beforeEach(async () => {
  s = await openSession();
});
afterEach(async () => {
  await s.close();
});

async function servers(): Promise<Server[]> {
  return (await callHost<Server[]>(s.host, 'fleet:list-servers')).data ?? [];
}

const count = () => s.page.getByTestId('fleet-count').textContent();
const rowTexts = () => s.page.locator('.vt-row').allTextContents();

describe('fleet table', () => {
  test('the empty fleet offers the demo fleet, which then fills the table', async () => {
    const { page } = s;
    await s.open('#/fleet');
    const empty = page.getByTestId('empty-fleet');
    await empty.waitFor();
    expect(await empty.getByRole('link', { name: 'Add server' }).count()).toBe(1);
    await empty.getByRole('button', { name: 'Load demo fleet' }).click();
    await expect.poll(async () => (await servers()).length).toBeGreaterThan(0);
    const total = (await servers()).length;
    await expect.poll(count).toBe(`${total} servers`);
    expect(await page.locator('.vt-row').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-status="expired"]').count()).toBe((await servers()).filter((x) => x.status === 'expired').length);
  });

  test('search, filter chips, sort and keyboard navigation', async () => {
    const { page } = s;
    expect((await callHost(s.host, 'fleet:load-demo')).ok).toBe(true);
    const all = await servers();
    await s.open('#/fleet');
    await expect.poll(count).toBe(`${all.length} servers`);

    // `/` focuses the search; it filters IP and alias.
    await page.keyboard.press('/');
    await page.keyboard.type('lb');
    const lb = all.filter((x) => x.alias.includes('lb') || x.ip.includes('lb'));
    await expect.poll(count).toBe(`${lb.length} of ${all.length} servers`);
    expect((await rowTexts()).every((t) => t.includes('lb'))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(count).toBe(`${all.length} servers`);

    // A type chip.
    const dispatchers = all.filter((x) => x.type === 'dispatcher');
    await page
      .getByRole('group', { name: 'Filter by Type' })
      .getByRole('button', { name: /Dispatcher/ })
      .click();
    await expect.poll(count).toBe(`${dispatchers.length} of ${all.length} servers`);
    expect((await rowTexts()).every((t) => t.includes('Dispatcher'))).toBe(true);
    await page.getByRole('button', { name: 'Clear all' }).click();
    await expect.poll(count).toBe(`${all.length} servers`);

    // Sort by CPS, descending on the second click.
    const cpsHeader = page.getByRole('button', { name: /^CPS/ });
    await cpsHeader.click();
    await cpsHeader.click();
    const maxCps = Math.max(...all.map((x) => x.cps));
    const top = all.filter((x) => x.cps === maxCps).map((x) => x.ip);
    const firstRow = async () => (await page.locator('.vt-row').first().textContent()) ?? '';
    await expect
      .poll(async () => {
        const text = await firstRow();
        return top.some((ip) => text.includes(ip));
      })
      .toBe(true);
    expect(await page.getByRole('columnheader', { name: /CPS/ }).getAttribute('aria-sort')).toBe('descending');

    // Arrows and Enter open the server under the cursor.
    await page.getByTestId('fleet-table').focus();
    await page.keyboard.press('ArrowDown');
    const second = (await page.locator('.vt-row').nth(1).textContent()) ?? '';
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/#\/servers\//);
    const ip = (await page.getByTestId('server-ip').textContent()) ?? '';
    expect(second).toContain(ip);
  });

  test('the rows fill the grid at first and after the window grows or shrinks', async () => {
    const { page } = s;
    await importServers(
      s.host,
      Array.from({ length: 300 }, (_, i) => ({ ip: `127.66.${i >> 7}.${(i & 127) + 1}`, alias: `fill-${i}`, type: 'switch', zone: 'eu' })),
    );
    await s.open('#/fleet');
    await expect.poll(count).toBe('300 servers');
    // The last row drawn reaches the grid's bottom edge: no blank band below the rows.
    const filled = () =>
      page.evaluate(() => {
        const grid = document.querySelector('.vt')!.getBoundingClientRect();
        const rows = [...document.querySelectorAll('.vt-row')].map((r) => r.getBoundingClientRect());
        return rows.length > 0 && Math.max(...rows.map((r) => r.bottom)) >= grid.bottom;
      });
    await expect.poll(filled).toBe(true);
    const before = await page.locator('.vt-row').count();
    await page.setViewportSize({ width: 1400, height: 1400 });
    await expect.poll(filled).toBe(true);
    await expect.poll(() => page.locator('.vt-row').count()).toBeGreaterThan(before + 10);
    await page.setViewportSize({ width: 1400, height: 600 });
    await expect.poll(() => page.locator('.vt-row').count()).toBeLessThan(before);
    expect(await filled()).toBe(true);
  });

  test('multi-select with shift-click and delete after confirming', async () => {
    const { page } = s;
    expect((await callHost(s.host, 'fleet:load-demo')).ok).toBe(true);
    const all = await servers();
    await s.open('#/fleet');
    await expect.poll(count).toBe(`${all.length} servers`);
    const rows = page.locator('.vt-row');
    await rows.nth(0).click();
    await rows.nth(2).click({ modifiers: ['Shift'] });
    await page.getByTestId('delete-selected').click();
    const dialog = page.getByTestId('delete-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('li').count()).toBe(3);
    await dialog.getByRole('button', { name: 'Delete 3 servers' }).click();
    await expect.poll(count).toBe(`${all.length - 3} servers`);
    expect((await servers()).length).toBe(all.length - 3);
  });

  test('deleting a cluster with members can leave them unclustered', async () => {
    const { page } = s;
    expect((await callHost(s.host, 'fleet:load-demo')).ok).toBe(true);
    const clusters = (await callHost<Cluster[]>(s.host, 'fleet:list-clusters')).data ?? [];
    const target = clusters.find((c) => c.memberCount > 0);
    expect(target).toBeDefined();
    const members = (await servers()).filter((x) => x.clusterId === target!.id).map((x) => x.id);
    await s.open('#/clusters');
    await page.locator(`tr[data-name="${target!.name}"]`).getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByTestId('delete-cluster-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`${members.length} servers`);
    expect(await dialog.getByLabel('Leave them unclustered').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Delete cluster' }).click();
    await page.locator(`tr[data-name="${target!.name}"]`).waitFor({ state: 'detached' });
    const after = await servers();
    expect(after.filter((x) => members.includes(x.id)).every((x) => x.clusterId === null)).toBe(true);
    expect(after.length).toBeGreaterThanOrEqual(members.length);
  });
});
