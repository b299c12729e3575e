// Screenshots of the Snapshots page's "Rollups only" save option:
// `npx tsx scripts/snapshot-rollups-only-screenshots.ts OUTDIR`. Starts its own `switchyard serve`
// on the demo fleet, saves one full snapshot and one with rollups only (so the list shows both
// sizes), ticks the option and shoots the page at 1280×720 and 1600×900 in both themes.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser, makeDataDir, startHost } from '../test/e2e/fixtures';
import { ok, ready } from './screenshot-kit';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1600, height: 900 },
];

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
  await mkdir(outDir, { recursive: true });
  const dataDir = await makeDataDir();
  const host = await startHost(dataDir);
  const browser = await launchBrowser();
  try {
    await ok(host, 'fleet:load-demo');
    await ok(host, 'snapshots:save', { file: 'full-history', note: 'Everything, raw samples included' });
    await ok(host, 'snapshots:save', { file: 'for-the-ticket', note: 'Rollups only, to attach to INC-5120', rollupsOnly: true });

    for (const theme of ['light', 'dark']) {
      for (const size of SIZES) {
        const context = await browser.newContext({ viewport: size });
        await context.addInitScript(`localStorage.setItem('switchyard.theme', ${JSON.stringify(theme)})`);
        const page = await context.newPage();
        await page.goto(`${host.url}#/snapshots`);
        await ready(page);
        await page.locator('tr[data-file="for-the-ticket.snapshot"]').waitFor();
        await page.locator('[data-testid="snapshot-rollups-only"]').check();
        await page.screenshot({ path: path.join(outDir, `snapshots-rollups-only-${size.width}x${size.height}-${theme}.png`) });
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await host.stop();
  }
}

await main();
