// Screenshots of the Accounts screen: `npx tsx scripts/accounts-screenshots.ts [OUTDIR]` (default
// .tmp/screenshots/accounts). Seeds a data folder through the host's real dispatch (the local user,
// an admin): an admin, two operators (one disabled) and a wall display's viewer. Then serves it and
// shoots the list, the add dialog refusing a taken name and a short password beside their fields,
// the reset dialog, and the row refusal of demoting the last admin, at 1600×900 and 1280×720 in
// both themes. Copies the 1600×900 ones to docs/screenshots.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openHost } from '../src/host/app';
import { launchBrowser, makeDataDir, ROOT, startHost } from '../test/e2e/fixtures';
import { copyToDocs, ready } from './screenshot-kit';

const SIZES = [
  { width: 1600, height: 900 },
  { width: 1280, height: 720 },
] as const;
const THEMES = ['dark', 'light'] as const;

async function seed(dataDir: string): Promise<void> {
  const app = openHost({ dataDir, log: () => {} });
  try {
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
  } finally {
    await app.close();
  }
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, '.tmp/screenshots/accounts'));
  await mkdir(outDir, { recursive: true });
  const dataDir = await makeDataDir();
  await seed(dataDir);
  const host = await startHost(dataDir);
  const browser = await launchBrowser();
  const table = async (page: Page) => void (await page.getByTestId('accounts-table').waitFor());
  try {
    const shots: { name: string; prepare: (page: Page) => Promise<void> }[] = [
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
    for (const size of SIZES) {
      for (const theme of THEMES) {
        for (const shot of shots) {
          const context = await browser.newContext({ viewport: size });
          await context.addInitScript(`localStorage.setItem('switchyard.theme', ${JSON.stringify(theme)})`);
          const page = await context.newPage();
          try {
            await page.goto(`${host.url}#/accounts`);
            await ready(page);
            await shot.prepare(page);
            await page.mouse.move(size.width - 2, size.height - 2);
            await settle(page);
            await page.screenshot({ path: path.join(outDir, `${shot.name}-${size.width}x${size.height}-${theme}.png`) });
          } finally {
            await context.close();
          }
        }
      }
    }
    await copyToDocs(
      outDir,
      shots.map((s) => s.name),
      THEMES,
    );
  } finally {
    await browser.close();
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
