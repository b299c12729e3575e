// Screenshots of the Snapshots page against hostile files and on a wall display:
// `npx tsx scripts/snapshot-read-only-screenshots.ts OUTDIR [THEME]`. Saves a snapshot of the demo
// fleet, drops a crafted file beside it (its snapshot_meta an endless recursive view), and shoots
// the page on the normal host (the crafted file listed with its refusal, in bounded time) and on a
// `--read-only` host of the same data folder (no drop zone, no Open buttons, the reason said).
import { copyFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { callHost, launchBrowser, makeDataDir, startHost, type Host } from '../test/e2e/fixtures';
import { shootOne, SIZES } from './screenshot-kit';

const [, SIZE] = SIZES;

/** The Snapshots page once the crafted file is listed with its refusal. */
async function shoot(browser: Browser, host: Host, outDir: string, name: string, theme: string): Promise<void> {
  await shootOne(browser, host.url, outDir, { name, hash: '#/snapshots' }, SIZE, theme, {
    ready: async (page) => {
      await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
      await page.locator('tr[data-file="crafted.snapshot"] .problem').waitFor();
    },
  });
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'screenshots');
  const theme = process.argv[3] ?? 'light';
  await mkdir(outDir, { recursive: true });
  const dataDir = await makeDataDir();
  const browser = await launchBrowser();
  try {
    const host = await startHost(dataDir);
    await callHost(host, 'fleet:load-demo');
    await callHost(host, 'snapshots:save', { file: 'before-change', note: 'CHG-2231 before the dispatcher move' });
    const folder = path.join(dataDir, 'snapshots');
    const crafted = path.join(folder, 'crafted.snapshot');
    copyFileSync(path.join(folder, 'before-change.snapshot'), crafted);
    const db = new Database(crafted);
    db.exec(`DROP TABLE snapshot_meta; CREATE VIEW snapshot_meta AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
      SELECT 1 AS id, 1 AS format, n AS taken_at, 'x' AS app_version, 1 AS schema_version, '' AS note, '{}' AS counts FROM r;`);
    db.pragma('journal_mode = DELETE');
    db.close();
    await shoot(browser, host, outDir, 'snapshots-crafted-file', theme);
    await host.stop();

    const wall = await startHost(dataDir, { readOnly: true });
    try {
      await shoot(browser, wall, outDir, 'snapshots-read-only-host', theme);
    } finally {
      await wall.stop();
    }
  } finally {
    await browser.close();
  }
}

await main();
