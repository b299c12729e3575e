import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatKnownHostsLine } from '../../src/domain/ssh/known-hosts';
import { writeRecipes, loopbackTargets } from '../helpers/actions-fixtures';
import { fixture, hostPublicKey, startSshd, TEST_USER, type Sshd } from '../helpers/sshd';
import { callHost, makeDataDir, openSession, ROOT, type Session } from './fixtures';
import { writeFileSync } from 'node:fs';

// The action flow in Chromium against a real sshd: select servers, read the impact, type the
// count, watch per-server output and progress, then find the run in the Actions log.

const ADDRESSES = loopbackTargets(4, 40);
const SHOTS = path.join(ROOT, 'out/screenshots/actions');
let sshd: Sshd;
let s: Session;

beforeAll(async () => {
  sshd = await startSshd({ addresses: ADDRESSES });
  const dataDir = await makeDataDir();
  const { keyType, key } = hostPublicKey('ed25519');
  writeFileSync(
    path.join(dataDir, 'known_hosts'),
    ADDRESSES.map((a) => formatKnownHostsLine(a, sshd.port, keyType, key)).join('\n') + '\n',
  );
  // 127.0.0.43 fails; the others print a few lines slowly so the run can be watched.
  writeRecipes(
    path.join(dataDir, 'recipes.json'),
    {
      restart: [
        'sh',
        '-c',
        `for i in 1 2 3; do echo "restarting kamailio step $i on $SSH_CONNECTION"; sleep 0.4; done; case "$SSH_CONNECTION" in *" 127.0.0.43 ${sshd.port}") echo "kamailio failed to start" >&2; exit 2;; esac; echo ok`,
      ],
    },
    [
      'sh',
      '-c',
      `printf '{"load":[0.42,0.35,0.3],"memory":{"totalKb":8000000,"availableKb":5100000},"uptimeSec":864000,"channels":17,"pendingUpdates":3}\\n'`,
    ],
  );
  s = await openSession({ dataDir, viewport: { width: 1600, height: 900 } });
  const zone = await callHost<{ id: string }>(s.host, 'fleet:create-zone', { name: 'Loopback', description: '' });
  const { defaultServerDraft } = await import('../../src/domain/fleet/defaults');
  for (const [i, ip] of ADDRESSES.entries()) {
    const created = await callHost(s.host, 'fleet:create-server', {
      ...defaultServerDraft(zone.data!.id),
      ip,
      alias: `sw-${i + 1}`,
      type: 'switch',
      channels: 200,
      cps: 10,
      ssh: { host: null, port: sshd.port, user: TEST_USER, auth: 'key', keyPath: fixture('user_ed25519'), jumpHost: null },
    });
    expect(created.ok).toBe(true);
  }
  mkdirSync(SHOTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await s?.close();
  await sshd?.stop();
});

describe('server actions in the browser', () => {
  test('confirm with the typed count, watch live output and progress, find it in the log', async () => {
    const { page } = s;
    await s.open('#/fleet');
    const rows = page.locator('.vt-row');
    await expect.poll(() => rows.count()).toBe(4);
    await rows.nth(0).click();
    await rows.nth(3).click({ modifiers: ['Shift'] });
    await page.getByTestId('actions-menu').click();
    await page.getByRole('menuitem', { name: 'Restart Server' }).click();
    const dialog = page.getByTestId('action-dialog');
    await dialog.getByTestId('action-impact').getByText('Generally not recommended for troubleshooting').waitFor();
    expect(await dialog.getByTestId('action-servers').locator('li').count()).toBe(4);

    const runButton = dialog.getByTestId('run-action');
    expect(await runButton.isDisabled()).toBe(true);
    await dialog.getByTestId('confirm-count').fill('3');
    expect(await runButton.isDisabled()).toBe(true);
    await dialog.getByTestId('confirm-count').fill('4');
    await page.screenshot({ path: path.join(SHOTS, 'confirm-dialog.png') });
    await runButton.click();

    const run = dialog.getByTestId('action-run');
    await run.waitFor();
    await expect.poll(() => dialog.getByTestId('run-output').textContent(), { timeout: 15_000 }).toMatch(/restarting kamailio step 2/);
    await expect.poll(() => dialog.getByTestId('cancel-run').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'running.png') });
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
    expect(await dialog.getByTestId('run-counts').textContent()).toMatch(/3 done.*1 failed/);
    await dialog.locator('[data-testid="run-row"][data-state="failed"]').click();
    await expect.poll(() => dialog.getByTestId('run-output').textContent()).toContain('kamailio failed to start');
    await page.screenshot({ path: path.join(SHOTS, 'finished.png') });

    await dialog.getByRole('link', { name: 'Open in the Actions log' }).click();
    await page.getByTestId('actions-log').waitFor();
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('1 run');
    await page.getByTestId('run-detail').waitFor();
    expect(await page.getByTestId('run-detail').textContent()).toMatch(/Restart Server\s*failed/);
    await page.getByTestId('log-search').fill('no such text anywhere');
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('0 runs');
    await page.getByTestId('log-search').fill('kamailio failed');
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('1 run');
    await page.screenshot({ path: path.join(SHOTS, 'actions-log.png') });
  });

  test('the server page shows load, the stale banner and the Actions tab', async () => {
    const { page } = s;
    const list = await callHost<{ id: string; alias: string }[]>(s.host, 'fleet:list-servers');
    const server = list.data!.find((x) => x.alias === 'sw-1')!;
    await s.open(`#/servers/${server.id}`);
    // `serve` polls load in the background; the probe reports 3 pending updates.
    await page.getByTestId('load-panel').getByText('Active channels').waitFor({ timeout: 45_000 });
    await page.getByTestId('stale-banner').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('stale-banner').textContent()).toContain("There's a pending update on the server");
    await page.screenshot({ path: path.join(SHOTS, 'server-load-stale.png'), fullPage: true });
    await s.open(`#/servers/${server.id}/actions`);
    await expect.poll(() => page.getByTestId('log-count').textContent()).toBe('1 run');
  });

  test('the Audit screen lists who did what, filters by account and shows a new line live', async () => {
    const { page } = s;
    await s.open('#/audit');
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor();
    // The run of the first test, started at this console: the local user, no address.
    const run = rows.filter({ hasText: 'Action run' });
    expect(await run.first().textContent()).toMatch(/Action run\s*local user\s*—\s*Restart Server on sw-1, sw-2, sw-3/);
    await page.getByTestId('audit-account').fill('nobody');
    await page.getByTestId('audit-empty').waitFor();
    expect(await page.getByTestId('audit-empty').textContent()).toContain('No lines match these filters');
    await page.getByTestId('audit-account').fill('');
    await page.getByTestId('audit-empty').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toMatch(/^\d+ lines$/);
    const before = await rows.count();
    expect(await page.getByTestId('audit-count').textContent()).toBe(`${before} lines`);
    const changed = await callHost(s.host, 'settings:update', { expiringSoonDays: 9 });
    expect(changed.ok).toBe(true);
    // Pushed by the host (audit:recorded): no reload, no polling of ours.
    await expect.poll(() => rows.count()).toBe(before + 1);
    expect(await rows.first().textContent()).toMatch(/Setting\s*local user.*Settings: expiringSoonDays → 9/);
    await page.screenshot({ path: path.join(SHOTS, 'audit.png') });
  });
});
