// The command palette (Ctrl/Cmd+K) and the shortcuts dialog in Chromium against a real
// `switchyard serve` with the demo fleet: one host and one browser, several checks in a row.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Server } from '../../src/contract/fleet';
import { SCREENS } from '../../src/ui/lib/screens';
import { callHost, openSession, type Session } from './fixtures';

let s: Session;
let lb1: Server;

beforeAll(async () => {
  s = await openSession();
  expect((await callHost(s.host, 'fleet:load-demo')).ok).toBe(true);
  const servers = (await callHost<Server[]>(s.host, 'fleet:list-servers')).data ?? [];
  const found = servers.find((srv) => srv.alias === 'eu-west-lb1');
  if (!found) throw new Error('the demo fleet has no eu-west-lb1');
  lb1 = found;
  await s.open('#/fleet');
  await s.page.locator('.vt-row').first().waitFor();
});

afterAll(async () => {
  await s?.close();
});

const hash = () => s.page.evaluate(() => location.hash);
const palette = () => s.page.getByTestId('command-palette');
const combobox = () => palette().getByRole('combobox');

async function openPalette(): Promise<void> {
  await s.page.keyboard.press('Control+k');
  await palette().waitFor();
  // The field has the keyboard at once.
  await expect.poll(() => s.page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
}

describe('command palette', () => {
  test('Ctrl+K finds a server by alias or IP and opens its page; focus goes back on Esc', async () => {
    const { page } = s;
    const search = page.getByRole('searchbox', { name: 'Search servers by IP or alias' });
    await search.focus();
    await openPalette();
    await page.keyboard.press('Escape');
    await palette().waitFor({ state: 'detached' });
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);

    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await openPalette();
    await page.keyboard.type('west-lb');
    const first = palette().getByRole('option').first();
    await expect.poll(() => first.getAttribute('data-kind')).toBe('server');
    await expect.poll(() => first.textContent()).toContain('eu-west-lb1');
    // The combobox points at the selected option.
    const activeId = await combobox().getAttribute('aria-activedescendant');
    expect(activeId).toBe(await first.getAttribute('id'));
    expect(await first.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await expect.poll(hash).toBe(`#/servers/${lb1.id}`);
    await palette().waitFor({ state: 'detached' });

    // By IP, the same server.
    await openPalette();
    await page.keyboard.type(lb1.ip);
    await expect.poll(() => palette().getByRole('option').first().textContent()).toContain('eu-west-lb1');
    await page.keyboard.press('Escape');
    await palette().waitFor({ state: 'detached' });
  });

  test('finds a screen by name and by another word for it, moving with the arrows', async () => {
    const { page } = s;
    await openPalette();
    await page.keyboard.type('zones');
    await expect.poll(() => palette().getByRole('option').first().textContent()).toContain('Go to Zones');
    await page.keyboard.press('Enter');
    await expect.poll(hash).toBe('#/zones');

    await openPalette();
    await page.keyboard.type('traceroute');
    await expect.poll(() => palette().getByRole('option').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(hash).toBe('#/tools');

    // Arrows wrap around the list and move the selection the combobox announces.
    await openPalette();
    const options = palette().getByRole('option');
    await expect.poll(() => options.count()).toBeGreaterThan(3);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await options.nth(2).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await options.last().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Escape');

    // Nothing found says so.
    await openPalette();
    await page.keyboard.type('qqqq-no-such-thing');
    await palette().getByText('Nothing matches').waitFor();
    await page.keyboard.press('Escape');
    await palette().waitFor({ state: 'detached' });
  });

  test("opens an action's confirmation dialog on a named server, runs nothing, and Cancel closes it", async () => {
    const { page } = s;
    await openPalette();
    await page.keyboard.type('eu-west-lb1 restart');
    const first = palette().getByRole('option').first();
    await expect.poll(() => first.getAttribute('data-kind')).toBe('action');
    await expect.poll(() => first.textContent()).toContain('Restart Server');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('action-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('action-servers').getByText('eu-west-lb1').waitFor();
    expect(await dialog.getByRole('heading').first().textContent()).toContain('Restart Server');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const runs = await callHost<{ total: number }>(s.host, 'actions:list-runs', {});
    expect(runs.ok).toBe(true);
    expect(runs.data?.total).toBe(0);
  });

  test('? lists every `g` shortcut of the screen list, and the palette', async () => {
    const { page } = s;
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    const dialog = page.getByTestId('shortcuts-dialog');
    await dialog.waitFor();
    const rows = await dialog
      .locator('dt')
      .evaluateAll((dts) =>
        dts.map(
          (dt) => `${[...dt.querySelectorAll('kbd')].map((k) => k.textContent).join(' ')} = ${dt.nextElementSibling?.textContent ?? ''}`,
        ),
      );
    for (const screen of SCREENS) expect(rows).toContain(`g ${screen.key} = ${screen.title}`);
    expect(rows).toContain('Ctrl K = Command palette: screens, servers, actions (⌘K on a Mac)');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // A `g` key listed there really goes there.
    await page.keyboard.press('g');
    await page.keyboard.press('p');
    await expect.poll(hash).toBe('#/capacity');
  });
});
