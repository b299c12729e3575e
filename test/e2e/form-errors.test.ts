import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultServerDraft } from '../../src/domain/fleet/defaults';
import { callHost, openSession, type Session } from './fixtures';

// Forms and dialogs in Chromium against a real host: every refusal beside its field in a person's
// words (the host's own schema refusals included), the Deploy wizard checking each step, actions
// that cannot run marked in the menu with a link to their setting, and wording that follows the
// number of servers. One host and one browser for all of it; nothing here needs a server to answer.

let s: Session;
const ids: string[] = [];

beforeAll(async () => {
  s = await openSession({ viewport: { width: 1600, height: 900 } });
  const zone = await callHost<{ id: string }>(s.host, 'fleet:create-zone', { name: 'Loopback', description: '' });
  for (let i = 1; i <= 4; i++) {
    const created = await callHost<{ id: string }>(s.host, 'fleet:create-server', {
      ...defaultServerDraft(zone.data!.id),
      ip: `127.0.0.${60 + i}`,
      alias: `form-sw${i}`,
    });
    expect(created.ok).toBe(true);
    ids.push(created.data!.id);
  }
}, 60_000);

afterAll(async () => {
  await s?.close();
});

const focusedId = () => s.page.evaluate(() => document.activeElement?.id ?? '');

describe('forms and dialogs', () => {
  test('channels −5 and UDP port 70000 are both refused beside their fields, the first focused', async () => {
    const { page } = s;
    await s.open('#/servers/new');
    await page.locator('[id="ip"]').fill('127.0.0.70');
    await page.locator('[id="alias"]').fill('form-new');
    await page.locator('[id="channels"]').fill('-5');
    await page.getByRole('link', { name: 'Config' }).click();
    await page.locator('[id="config.ports.udp"]').fill('70000');
    await page.getByRole('button', { name: 'Create server' }).click();

    // The first refused field is on Summary: the page goes there and focuses it.
    const channels = page.locator('[data-field="channels"]');
    await expect.poll(() => channels.locator('.field-error').textContent()).toContain('Channels must be at least 1');
    await expect.poll(focusedId).toBe('channels');
    const summary = page.getByTestId('error-summary');
    expect(await summary.textContent()).toMatch(/2 fields to fix.*Channels must be at least 1.*UDP port must be 1–65535/s);
    expect(await page.getByTestId('save-error').textContent()).toContain('2 fields to fix');

    // The second, from the summary's link: its tab, its box, its own message beside it.
    await summary.locator('[data-field-link="config.ports.udp"]').click();
    const udp = page.locator('[data-field="config.ports.udp"]');
    await expect.poll(() => udp.locator('.field-error').textContent()).toContain('UDP port must be 1–65535');
    await expect.poll(focusedId).toBe('config.ports.udp');
    expect(await page.locator('[id="config.ports.udp"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('main').innerText()).not.toMatch(/draft\.|config\.ports|\bchannels must/);

    // Nothing was created.
    const list = await callHost<{ alias: string }[]>(s.host, 'fleet:list-servers');
    expect(list.data!.some((x) => x.alias === 'form-new')).toBe(false);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test('the Deploy wizard stops step 2 with IP and alias empty, and blocks the install while the balance is short', async () => {
    const { page } = s;
    await s.open('#/fleet');
    await page.getByTestId('deploy-server').click();
    const wizard = page.getByTestId('deploy-wizard');
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.locator('li[aria-current="step"]', { hasText: 'Host and SSH' }).waitFor();
    await wizard.getByTestId('deploy-next').click();
    await expect.poll(() => wizard.locator('[data-field="deploy-ip"] .field-error').textContent()).toContain('IP address is required');
    expect(await wizard.locator('[data-field="deploy-alias"] .field-error').textContent()).toContain('Alias is required');
    expect(await wizard.locator('li[aria-current="step"]').textContent()).toContain('Host and SSH');
    await expect.poll(focusedId).toBe('deploy-ip');

    // A clash with the fleet is refused at the step too, not by the install later.
    await wizard.locator('#deploy-ip').fill('127.0.0.61');
    await wizard.locator('#deploy-alias').fill('form-deployed');
    await wizard.getByTestId('deploy-next').click();
    await expect
      .poll(() => wizard.locator('[data-field="deploy-ip"] .field-error').textContent())
      .toContain('already used by server "form-sw1"');
    await wizard.locator('#deploy-ip').fill('127.0.0.79');
    await wizard.getByTestId('deploy-next').click();
    await wizard.locator('li[aria-current="step"]', { hasText: 'Balance' }).waitFor();

    // Four servers: $100 needed, $0 available.
    await expect.poll(() => wizard.getByTestId('balance-verdict').textContent()).toContain('Short by $100.00');
    const install = wizard.getByTestId('deploy-install');
    expect(await install.isDisabled()).toBe(true);
    expect(await wizard.getByTestId('deploy-blocked').textContent()).toContain('Short by $100.00');
    await wizard.getByRole('button', { name: 'Back' }).click();
    await wizard.getByRole('button', { name: 'Back' }).click();
    await page.keyboard.press('Escape');
  });

  test('Install Server without a command is marked, stays focusable, and links to the setting', async () => {
    const { page } = s;
    await s.open(`#/servers/${ids[0]}`);
    await page.getByTestId('actions-menu').click();
    const list = page.locator('[data-testid="actions-menu-list"][data-state="checked"]');
    await list.waitFor();
    const item = list.locator('li[data-action="install"]');
    expect(await item.getAttribute('data-available')).toBe('false');
    const button = item.getByRole('menuitem');
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    // Not the `disabled` attribute: that would take it out of the keyboard's reach.
    expect(await button.evaluate((el) => (el as HTMLButtonElement).disabled)).toBe(false);
    await button.focus();
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('Install Server');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('action-dialog').count()).toBe(0);
    expect(await item.textContent()).toMatch(/install command/i);

    const fix = item.getByTestId('fix-install');
    expect(await fix.getAttribute('href')).toBe('#/settings');
    await fix.click();
    await expect.poll(focusedId).toBe('fleet-install-command');
  });

  test('Restart on four servers speaks of these servers and says when the typed count is wrong', async () => {
    const { page } = s;
    await s.open('#/fleet');
    const rows = page.locator('.vt-row');
    await expect.poll(() => rows.count()).toBe(4);
    await rows.nth(0).click();
    await rows.nth(3).click({ modifiers: ['Shift'] });
    await page.getByTestId('actions-menu').click();
    await page.getByRole('menuitem', { name: 'Restart Server' }).click();
    const dialog = page.getByTestId('action-dialog');
    await expect.poll(() => dialog.getByTestId('action-impact').textContent()).toContain('every call on these servers stops');
    expect(await dialog.getByTestId('action-impact').textContent()).not.toContain('this server');

    await dialog.getByTestId('confirm-count').fill('3');
    await expect.poll(() => dialog.locator('#confirm-count-error').textContent()).toContain('"3" is not the number of servers: type 4');
    expect(await dialog.getByTestId('run-action').isDisabled()).toBe(true);
    await dialog.getByTestId('confirm-count').fill('4');
    await expect.poll(() => dialog.locator('#confirm-count-error').count()).toBe(0);
    expect(await dialog.getByTestId('run-action').isDisabled()).toBe(false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('Accounts: a bad name and a short password refused beside their fields, a good account added, the last admin kept', async () => {
    const { page } = s;
    await s.open('#/accounts');
    await page.getByTestId('accounts-empty').waitFor();
    await page.getByTestId('account-add').click();
    const dialog = page.getByTestId('account-add-dialog');
    await dialog.getByTestId('account-name').fill('two words');
    await dialog.getByTestId('account-role').selectOption('admin');
    await dialog.getByTestId('account-password').fill('short');
    await dialog.getByTestId('account-again').fill('short');
    await dialog.getByTestId('account-add-submit').click();
    const nameError = dialog.locator('[data-field="account-name"] .field-error');
    await expect.poll(() => nameError.textContent(), { timeout: 10_000 }).toContain('Account name "two words" may hold only letters');
    expect(await dialog.locator('[data-field="account-password"] .field-error').textContent()).toContain(
      'Password is too short (5 characters): use at least 12.',
    );
    expect((await callHost<unknown[]>(s.host, 'accounts:list', {})).data).toEqual([]);

    await dialog.getByTestId('account-name').fill('noc.lead');
    await dialog.getByTestId('account-password').fill('a long enough password');
    await dialog.getByTestId('account-again').fill('a long enough password');
    await dialog.getByTestId('account-add-submit').click();
    const row = page.locator('tr[data-account="noc.lead"]');
    // Hashing the password (scrypt, 128 MiB) takes a moment on a loaded machine.
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('accounts-count').textContent()).toBe('1 account, 1 active');

    // The only admin: disabling it is refused by the host, on its row, and nothing changes.
    await row.getByTestId('account-disable').click();
    await expect
      .poll(() => page.getByTestId('account-row-error').textContent(), { timeout: 10_000 })
      .toContain('noc.lead is the last active admin');
    const listed = await callHost<{ disabled: boolean }[]>(s.host, 'accounts:list', {});
    expect(listed.data?.map((a) => a.disabled)).toEqual([false]);
  });
});
