// Screenshots of the named list pages (Zones, Clusters), drawn by NamedListPage:
// `npx tsx scripts/list-pages-screenshots.ts [OUTDIR]` (default .tmp/screenshots/list-pages).
// Serves the demo fleet and shoots, at 1600×900 in both themes, each page as listed and with a
// row being renamed after an empty name was refused (the error beside the field), plus the zone
// delete dialog. Copies them to docs/screenshots.
import type { Page } from 'playwright-core';
import type { Zone } from '../src/contract/fleet';
import { copyToDocsAs, ok, openStage, outputDir, ready, shootAll, SIZES, THEMES, type Shot } from './screenshot-kit';

async function refusedRename(page: Page, table: string): Promise<void> {
  const row = page.locator(`[data-testid="${table}"] tbody tr`).first();
  await row.getByRole('button', { name: 'Rename' }).click();
  const input = row.locator('input');
  await input.fill(' ');
  await input.press('Enter');
  await row.locator('.field-error').waitFor();
}

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/list-pages');
  const stage = await openStage();
  const { host: h, browser } = stage;
  try {
    await ok(h, 'fleet:load-demo');
    const zones = await ok<Zone[]>(h, 'fleet:list-zones');
    const busy = zones.find((z) => z.serverCount > 0);
    const shots: Shot[] = [
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
    const file = (name: string, theme: string) => `list-${name}-${theme}`;
    await shootAll(browser, h.url, outDir, shots, {
      sizes: SIZES.slice(0, 1),
      ready: async (page) => {
        await ready(page);
        await page.locator('[data-testid$="-table"] tbody tr').first().waitFor();
      },
      // Fonts settle; nothing here waits on live data.
      settle: 300,
      file: (name, _size, theme) => file(name, theme),
    });
    await copyToDocsAs(
      outDir,
      shots.flatMap((shot) => THEMES.map((theme) => [file(shot.name, theme), file(shot.name, theme)] as const)),
    );
  } finally {
    await stage.close();
  }
}

await main();
