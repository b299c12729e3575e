// Screenshots of `switchyard demo`: `npx tsx scripts/demo-screenshots.ts [OUTDIR]` (default
// docs/screenshots). Starts the demo on a fresh data folder, probes at 1 s until the silent server
// reads "SIP down, host up", then shoots the fleet at 1600×900 in both themes and the hover card
// of the silent server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startListening } from '../test/helpers/serve-process';
import { launchBrowser, type Host } from '../test/e2e/fixtures';
import { ok, ready, shootOne, SIZES } from './screenshot-kit';

const [SIZE] = SIZES;
const SILENT = '127.0.30.22';

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchyard-demo-shots-'));
  const demo = await startListening('demo', ['--data', dataDir]);
  const url = new URL(demo.url);
  const host: Host = {
    url: demo.url,
    origin: url.origin,
    token: url.searchParams.get('token') ?? '',
    dataDir,
    stop: async () => void (await demo.stop()),
  };
  const browser = await launchBrowser();
  try {
    await ok(host, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 1_500 });
    const shoot = (theme: 'dark' | 'light', name: string, prepare?: (page: Page) => Promise<void>) =>
      shootOne(browser, demo.url, outDir, { name, hash: '#/fleet', prepare }, SIZE, theme, {
        ready: async (page) => {
          await ready(page);
          // Live and settled: the silent server has gone down with its host still up.
          await page.locator('.vt-row', { hasText: SILENT }).locator('[data-reach="sip-down-host-up"]').waitFor({ timeout: 60_000 });
        },
      });
    await shoot('dark', 'demo-fleet');
    await shoot('light', 'demo-fleet');
    await shoot('dark', 'demo-hover-silent', async (page) => {
      await page.locator('.vt-row', { hasText: SILENT }).getByTestId('status-icon').hover();
      await page.getByTestId('latency-card').waitFor();
    });
    await shoot('dark', 'demo-columns-chooser', async (page) => {
      await page.locator('.sort-btn', { hasText: /^SIP$/ }).click();
      await page.getByTestId('columns-button').click();
      await page.getByTestId('column-chooser').waitFor();
    });
  } finally {
    await browser.close();
    await demo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
