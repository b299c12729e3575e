// Screenshots of what issue 16 put on screen: the "Tool runs at once" setting and the refusal of
// a run past it: `npx tsx scripts/security-screenshots.ts OUTDIR`. Its own `switchyard serve` on
// a temporary data folder, a real ping to loopback holding the one slot.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { callHost } from '../test/e2e/fixtures';
import { DARK_LARGE_LIGHT_SMALL, openStage, snap, themedPage } from './screenshot-kit';

const out = path.resolve(process.argv[2] ?? 'docs/screenshots');

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  const stage = await openStage();
  const { host, browser } = stage;
  try {
    for (const [theme, size] of DARK_LARGE_LIGHT_SMALL) {
      await themedPage(browser, size, theme, async (page) => {
        await page.goto(`${host.url}#/settings`);
        const field = page.locator('#maxConcurrentToolRuns');
        await field.waitFor();
        await field.scrollIntoViewIfNeeded();
        await snap(page, out, `settings-tool-runs-${theme}-${size.width}`);

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
        await snap(page, out, `tools-run-limit-${theme}-${size.width}`);
        if (held.data) await callHost(host, 'tools:cancel', { id: held.data.id });
        await callHost(host, 'settings:update', { maxConcurrentToolRuns: 8 });
      });
    }
  } finally {
    await stage.close();
  }
}

await main();
