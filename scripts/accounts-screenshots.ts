// Screenshots of the Accounts screen: `npx tsx scripts/accounts-screenshots.ts [OUTDIR]` (default
// .tmp/screenshots/accounts). Seeds a data folder through the host's real dispatch (the local user,
// an admin): an admin, two operators (one disabled) and a wall display's viewer. Then serves it and
// shoots the list, the add dialog refusing a taken name and a short password beside their fields,
// the reset dialog, and the row refusal of demoting the last admin, at 1600×900 and 1280×720 in
// both themes. Copies the 1600×900 ones to docs/screenshots.
import type { Page } from 'playwright-core';
import { copyToDocs, fontsSettled, openStage, outputDir, seedHost, shootAll, THEMES, type Shot } from './screenshot-kit';

async function seed(dataDir: string): Promise<void> {
  await seedHost(dataDir, async (app) => {
    const add = async (name: string, role: 'viewer' | 'operator' | 'admin') => {
      const result = await app.dispatch('accounts:add', { name, role, password: `${name} has a long password` });
      if (!result.ok) throw new Error(`accounts:add ${name}: ${result.error.message}`);
    };
    await add('ana.lima', 'admin');
    await add('bob', 'operator');
    await add('carol@noc', 'operator');
    await add('wall-display-3', 'viewer');
    const disabled = await app.dispatch('accounts:disable', { name: 'carol@noc' });
    if (!disabled.ok) throw new Error(disabled.error.message);
  });
}

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/accounts');
  const { host, browser, close } = await openStage({ prepare: seed });
  const table = async (page: Page) => void (await page.getByTestId('accounts-table').waitFor());
  try {
    const shots: Shot[] = [
      { name: 'accounts', prepare: table },
      {
        name: 'accounts-add-refused',
        prepare: async (page) => {
          await table(page);
          await page.getByTestId('account-add').click();
          await page.getByTestId('account-name').fill('two words');
          await page.getByTestId('account-role').selectOption('operator');
          await page.getByTestId('account-password').fill('short');
          await page.getByTestId('account-again').fill('short');
          await page.getByTestId('account-add-submit').click();
          await page.locator('[data-field="account-name"] .field-error').waitFor();
        },
      },
      {
        name: 'accounts-reset',
        prepare: async (page) => {
          await table(page);
          await page.locator('tr[data-account="bob"]').getByTestId('account-reset').click();
          await page.getByTestId('reset-password').fill('a brand new password');
          await page.getByTestId('reset-again').fill('a brand new passwrd');
          await page.getByTestId('reset-submit').click();
          await page.locator('[data-field="reset-again"] .field-error').waitFor();
        },
      },
      {
        name: 'accounts-last-admin',
        prepare: async (page) => {
          await table(page);
          await page.locator('tr[data-account="ana.lima"]').getByTestId('account-disable').click();
          await page.getByTestId('account-row-error').waitFor();
        },
      },
    ];
    await shootAll(browser, host.url, outDir, shots, { hash: '#/accounts', pointerAway: true, settle: fontsSettled });
    await copyToDocs(
      outDir,
      shots.map((s) => s.name),
      THEMES,
    );
  } finally {
    await close();
  }
}

await main();
