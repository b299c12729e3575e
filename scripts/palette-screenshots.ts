// Screenshots of the command palette, the shortcuts dialog and the rail:
// `npx tsx scripts/palette-screenshots.ts [OUTDIR]` (default .tmp/screenshots/palette). Serves the
// demo fleet, then shoots, at 1600×900 and 1280×720 in both themes: the palette over the fleet
// (a server search), the palette on a server page offering its actions, the shortcuts dialog,
// and the rail alone. Copies one of each to docs/screenshots.
import type { Page } from 'playwright-core';
import type { Server } from '../src/contract/fleet';
import { copyToDocsAs, ok, openStage, outputDir, ready, shootAll, type Shot } from './screenshot-kit';

async function openPalette(page: Page, typed: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.getByTestId('command-palette').waitFor();
  await page.keyboard.type(typed);
  await page.getByTestId('command-palette').getByRole('option').first().waitFor();
}

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/palette');
  const stage = await openStage();
  const { host: h, browser } = stage;
  try {
    await ok(h, 'fleet:load-demo');
    const servers = await ok<Server[]>(h, 'fleet:list-servers');
    const sw = servers.find((s) => s.alias === 'us-east-sw1') ?? servers[0];
    const shots: Shot[] = [
      { name: 'palette-servers', hash: '#/fleet', prepare: (page) => openPalette(page, 'east') },
      { name: 'palette-actions', hash: `#/servers/${sw?.id ?? ''}`, prepare: (page) => openPalette(page, 're') },
      {
        name: 'shortcuts',
        hash: '#/fleet',
        prepare: async (page) => {
          await page.keyboard.press('?');
          await page.getByTestId('shortcuts-dialog').waitFor();
        },
      },
      { name: 'rail', hash: '#/rtp', element: 'nav.rail', prepare: async () => undefined },
    ];
    await shootAll(browser, h.url, outDir, shots, {
      ready: async (page) => {
        await ready(page);
        await page.locator('main').click({ position: { x: 5, y: 5 } });
      },
      // Fonts and the backdrop settle; nothing here waits on live data.
      settle: 300,
    });
    await copyToDocsAs(outDir, [
      ['palette-servers-1600x900-dark', 'palette-servers-dark'],
      ['palette-actions-1600x900-light', 'palette-actions-light'],
      ['shortcuts-1600x900-dark', 'shortcuts-dark'],
      ['shortcuts-1280x720-light', 'shortcuts-light'],
      ['rail-1280x720-dark', 'rail-dark'],
      ['rail-1280x720-light', 'rail-light'],
    ]);
  } finally {
    await stage.close();
  }
}

await main();
