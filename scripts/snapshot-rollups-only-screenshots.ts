// Screenshots of the Snapshots page's "Rollups only" save option:
// `npx tsx scripts/snapshot-rollups-only-screenshots.ts OUTDIR`. Starts its own `switchyard serve`
// on the demo fleet, saves one full snapshot and one with rollups only (so the list shows both
// sizes), ticks the option and shoots the page at 1280×720 and 1600×900 in both themes.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ok, openStage, shootAll } from './screenshot-kit';

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
  await mkdir(outDir, { recursive: true });
  const stage = await openStage();
  const { host, browser } = stage;
  try {
    await ok(host, 'fleet:load-demo');
    await ok(host, 'snapshots:save', { file: 'full-history', note: 'Everything, raw samples included' });
    await ok(host, 'snapshots:save', { file: 'for-the-ticket', note: 'Rollups only, to attach to INC-5120', rollupsOnly: true });
    await shootAll(browser, host.url, outDir, [
      {
        name: 'snapshots-rollups-only',
        hash: '#/snapshots',
        prepare: async (page) => {
          await page.locator('tr[data-file="for-the-ticket.snapshot"]').waitFor();
          await page.locator('[data-testid="snapshot-rollups-only"]').check();
        },
      },
    ]);
  } finally {
    await stage.close();
  }
}

await main();
