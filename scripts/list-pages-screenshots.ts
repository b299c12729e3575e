// Screenshots of the named list pages (Zones, Clusters), drawn by NamedListPage:
// `npx tsx scripts/list-pages-screenshots.ts [OUTDIR]` (default .tmp/screenshots/list-pages).
// Serves the demo fleet and shoots, at 1600×900 in both themes, each page as listed and with a
// row being renamed after an empty name was refused (the error beside the field), plus the zone
// delete dialog. Copies them to docs/screenshots.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Zone } from '../src/contract/fleet';
import { launchBrowser, makeDataDir, ROOT, startHost, type Host } from '../test/e2e/fixtures';
import { ok, ready } from './screenshot-kit';

const THEMES = ['dark', 'light'] as const;

async function refusedRename(page: Page, table: string): Promise<void> {
  const row = page.locator(`[data-testid="${table}"] tbody tr`).first();
  await row.getByRole('button', { name: 'Rename' }).click();
  const input = row.locator('input');
  await input.fill(' ');
  await input.press('Enter');
  await row.locator('.field-error').waitFor();
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, '.tmp/screenshots/list-pages'));
  await mkdir(outDir, { recursive: true });
  const dataDir = await makeDataDir();
  let host: Host | null = null;
  const browser = await launchBrowser();
  try {
    host = await startHost(dataDir);
    const h = host;
    await ok(h, 'fleet:load-demo');
    const zones = await ok<Zone[]>(h, 'fleet:list-zones');
    const busy = zones.find((z) => z.serverCount > 0);
    const shots: { name: string; hash: string; prepare(page: Page): Promise<void> }[] = [
      { name: 'zones', hash: '#/zones', prepare: async () => undefined },
      { name: 'clusters', hash: '#/clusters', prepare: async () => undefined },
      { name: 'zones-rename-error', hash: '#/zones', prepare: (page) => refusedRename(page, 'zones-table') },
      { name: 'clusters-rename-error', hash: '#/clusters', prepare: (page) => refusedRename(page, 'clusters-table') },
      {
        name: 'zones-delete',
        hash: '#/zones',
        prepare: async (page) => {
          await page
            .locator(`tr[data-name="${busy?.name ?? ''}"]`)
            .getByRole('button', { name: 'Delete…' })
            .click();
          await page.getByTestId('delete-zone-dialog').getByRole('button', { name: 'Delete zone' }).click();
          await page.getByTestId('zone-delete-error').waitFor();
        },
      },
    ];
    const docs = path.join(ROOT, 'docs/screenshots');
    await mkdir(docs, { recursive: true });
    for (const theme of THEMES) {
      for (const shot of shots) {
        const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
        await context.addInitScript(`localStorage.setItem('switchyard.theme', ${JSON.stringify(theme)})`);
        const page = await context.newPage();
        try {
          await page.goto(`${h.url}${shot.hash}`);
          await ready(page);
          await page.locator('[data-testid$="-table"] tbody tr').first().waitFor();
          await shot.prepare(page);
          // Fonts settle; nothing here waits on live data.
          await page.waitForTimeout(300);
          const file = path.join(outDir, `list-${shot.name}-${theme}.png`);
          await page.screenshot({ path: file });
          await copyFile(file, path.join(docs, `list-${shot.name}-${theme}.png`));
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
