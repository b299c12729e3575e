// Screenshots of the command palette, the shortcuts dialog and the rail:
// `npx tsx scripts/palette-screenshots.ts [OUTDIR]` (default .tmp/screenshots/palette). Serves the
// demo fleet, then shoots, at 1600×900 and 1280×720 in both themes: the palette over the fleet
// (a server search), the palette on a server page offering its actions, the shortcuts dialog,
// and the rail alone. Copies one of each to docs/screenshots.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Server } from '../src/contract/fleet';
import { launchBrowser, makeDataDir, ROOT, startHost, type Host } from '../test/e2e/fixtures';
import { ok, ready } from './screenshot-kit';

const SIZES = [
  { width: 1600, height: 900 },
  { width: 1280, height: 720 },
] as const;
const THEMES = ['dark', 'light'] as const;

async function openPalette(page: Page, typed: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.getByTestId('command-palette').waitFor();
  await page.keyboard.type(typed);
  await page.getByTestId('command-palette').getByRole('option').first().waitFor();
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, '.tmp/screenshots/palette'));
  await mkdir(outDir, { recursive: true });
  const dataDir = await makeDataDir();
  let host: Host | null = null;
  const browser = await launchBrowser();
  try {
    host = await startHost(dataDir);
    const h = host;
    await ok(h, 'fleet:load-demo');
    const servers = await ok<Server[]>(h, 'fleet:list-servers');
    const sw = servers.find((s) => s.alias === 'us-east-sw1') ?? servers[0];
    const shots: { name: string; hash: string; prepare(page: Page): Promise<void>; element?: string }[] = [
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
    for (const size of SIZES) {
      for (const theme of THEMES) {
        for (const shot of shots) {
          const context = await browser.newContext({ viewport: size });
          await context.addInitScript(`localStorage.setItem('switchyard.theme', ${JSON.stringify(theme)})`);
          const page = await context.newPage();
          try {
            await page.goto(`${h.url}${shot.hash}`);
            await ready(page);
            await page.locator('main').click({ position: { x: 5, y: 5 } });
            await shot.prepare(page);
            // Fonts and the backdrop settle; nothing here waits on live data.
            await page.waitForTimeout(300);
            const file = path.join(outDir, `${shot.name}-${size.width}x${size.height}-${theme}.png`);
            if (shot.element) await page.locator(shot.element).screenshot({ path: file });
            else await page.screenshot({ path: file });
          } finally {
            await context.close();
          }
        }
      }
    }
    const docs = path.join(ROOT, 'docs/screenshots');
    await mkdir(docs, { recursive: true });
    for (const [from, to] of [
      ['palette-servers-1600x900-dark', 'palette-servers-dark'],
      ['palette-actions-1600x900-light', 'palette-actions-light'],
      ['shortcuts-1600x900-dark', 'shortcuts-dark'],
      ['shortcuts-1280x720-light', 'shortcuts-light'],
      ['rail-1280x720-dark', 'rail-dark'],
      ['rail-1280x720-light', 'rail-light'],
    ] as const) {
      await copyFile(path.join(outDir, `${from}.png`), path.join(docs, `${to}.png`));
    }
  } finally {
    await browser.close();
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
