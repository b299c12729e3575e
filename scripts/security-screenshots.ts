// Screenshots of what issue 16 put on screen: the "Tool runs at once" setting and the refusal of
// a run past it: `npx tsx scripts/security-screenshots.ts OUTDIR`. Its own `switchyard serve` on
// a temporary data folder, a real ping to loopback holding the one slot.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { callHost, launchBrowser, makeDataDir, startHost } from '../test/e2e/fixtures';

const out = path.resolve(process.argv[2] ?? 'docs/screenshots');

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  process.stdout.write(`${name}.png\n`);
}

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  const dataDir = await makeDataDir();
  const host = await startHost(dataDir);
  const browser = await launchBrowser();
  try {
    for (const [theme, size] of [
      ['dark', { width: 1600, height: 900 }],
      ['light', { width: 1280, height: 720 }],
    ] as const) {
      const context = await browser.newContext({ viewport: size });
      const page = await context.newPage();
      await page.goto(`${host.url}#/settings`);
      await page.evaluate(
        (t) =>
          (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('switchyard.theme', t),
        theme,
      );
      await page.reload();
      const field = page.locator('#maxConcurrentToolRuns');
      await field.waitFor();
      await field.scrollIntoViewIfNeeded();
      await shot(page, `settings-tool-runs-${theme}-${size.width}`);

      await callHost(host, 'settings:update', { maxConcurrentToolRuns: 1 });
      const held = await callHost<{ id: string }>(host, 'tools:start-ping', {
        source: 'local',
        target: '127.0.0.1',
        params: { count: 200, intervalS: 0.2 },
      });
      await page.goto(`${host.url}#/tools`);
      await page.getByTestId('run-form').waitFor();
      await page.getByLabel('Target').fill('127.0.0.2');
      await page.getByRole('button', { name: 'Run ping' }).click();
      await page
        .getByText(/going at once/)
        .first()
        .waitFor();
      await shot(page, `tools-run-limit-${theme}-${size.width}`);
      if (held.data) await callHost(host, 'tools:cancel', { id: held.data.id });
      await callHost(host, 'settings:update', { maxConcurrentToolRuns: 8 });
      await context.close();
    }
  } finally {
    await browser.close();
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
