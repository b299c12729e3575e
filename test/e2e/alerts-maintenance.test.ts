// An action's maintenance in Chromium: a server that is really the test sshd on a loopback
// address, restarted from the fleet's Actions menu with a recipe that takes a few seconds. While
// it runs and after it ends (its grace period), the fleet table marks the server "Maintenance",
// and the Silences & maintenance tab lists the window with the action and who ran it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Maintenance } from '../../src/contract/alerts';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { seedKnownHosts, writeRecipes } from '../helpers/actions-fixtures';
import { fixture, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { callHost, makeDataDir, openSession, type Session } from './fixtures';

const ADDRESS = '127.0.0.91';
let sshd: Sshd;
let s: Session;

beforeAll(async () => {
  sshd = await startSshd({ addresses: [ADDRESS] });
  const dataDir = await makeDataDir();
  seedKnownHosts(dataDir, [ADDRESS], sshd.port);
  // Slow enough to look at the table while it runs; the grace period (300 s for a restart) follows.
  writeRecipes(path.join(dataDir, 'recipes.json'), {
    restart: ['sh', '-c', 'for i in 1 2 3 4 5 6; do echo "restarting step $i"; sleep 0.5; done; echo ok'],
  });
  s = await openSession({ dataDir, viewport: { width: 1600, height: 900 } });
  const zone = await callHost<{ id: string }>(s.host, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const created = await callHost(s.host, 'fleet:create-server', {
    ...defaultServerDraft(zone.data!.id),
    ip: ADDRESS,
    alias: 'maint-sw1',
    type: 'switch',
    channels: 100,
    cps: 10,
    ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
  });
  expect(created.ok).toBe(true);
}, 90_000);

afterAll(async () => {
  await s?.close();
  await sshd?.stop();
});

describe("an action's maintenance", () => {
  test('the server shows "Maintenance" during and after a restart, and the window is listed', async () => {
    const { page } = s;
    await s.open('#/fleet');
    const row = page.locator('.vt-row', { hasText: 'maint-sw1' });
    await row.waitFor();
    expect(await row.getByTestId('hold-badge').count()).toBe(0);
    await row.click();
    await page.getByTestId('actions-menu').click();
    await page.getByRole('menuitem', { name: 'Restart Server' }).click();
    const dialog = page.getByTestId('action-dialog');
    await dialog.getByTestId('action-servers').waitFor();
    if (await dialog.getByTestId('confirm-count').isVisible()) await dialog.getByTestId('confirm-count').fill('1');
    await dialog.getByTestId('run-action').click();
    const run = dialog.getByTestId('action-run');
    await run.waitFor();

    // During the run: held by maintenance "until the run ends".
    const badge = row.getByTestId('hold-badge');
    await expect.poll(() => badge.getAttribute('data-hold'), { timeout: 10_000 }).toBe('maintenance');
    expect(await run.getAttribute('data-status')).toBe('running');
    expect(await badge.textContent()).toContain('Maintenance');
    expect(await badge.getAttribute('title')).toMatch(/In maintenance until the run ends \(Restart Server by .+\)/);

    await expect.poll(() => run.getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // After it: still in maintenance for the restart's grace period, now with an end time.
    await expect
      .poll(() => badge.getAttribute('title'), { timeout: 10_000 })
      .toMatch(/In maintenance until .*\d\d:\d\d.* \(Restart Server by .+\)/);
    expect(await badge.getAttribute('title')).not.toContain('until the run ends');
    expect(await badge.getAttribute('data-hold')).toBe('maintenance');

    await s.open('#/alerts/silences');
    const maintenance = page.getByTestId('maintenance-row');
    await expect.poll(() => maintenance.count()).toBe(1);
    const text = await maintenance.textContent();
    expect(text).toContain('maint-sw1');
    expect(text).toContain('Restart Server');
    const listed = (await callHost<Maintenance[]>(s.host, 'alerts:list-maintenance', {})).data ?? [];
    expect(listed).toHaveLength(1);
    expect(listed[0]?.endsAt).not.toBeNull();
    expect(text).toContain(listed[0]?.createdBy ?? '?');
  });
});
