// The fleet page at 1,000 servers in both themes at 1600×900: as it first paints (drawn from the
// answers written into the page, before its socket is open) and once the live values have come,
// with the first rows' positions compared, so a layout jump between the two shows as a number.
// Run: node --import tsx scripts/first-screen-screenshots.ts [OUT_DIR]   (default .tmp/first-screen)
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../test/e2e/fixtures';
import { ok, openStage, ready, themedPage, THEMES, until } from './screenshot-kit';

const OUT = path.resolve(process.argv[2] ?? path.join(ROOT, '.tmp/first-screen'));
await mkdir(OUT, { recursive: true });

const ZONES = ['us-east', 'eu-west', 'uk-london', 'ap-south'];
const servers = Array.from({ length: 1_000 }, (_, i) => ({
  ip: `127.${100 + Math.floor(i / 250)}.${i % 250}.${((i * 7) % 250) + 2}`,
  alias: `${ZONES[i % ZONES.length]}-sw${String(i).padStart(4, '0')}`,
  type: 'switch',
  zone: ZONES[i % ZONES.length],
}));

/** Where the header and the first rows sit, rounded to the pixel. */
function boxes(page: Page): Promise<string> {
  return page.evaluate(`JSON.stringify([...document.querySelectorAll('.vt-head, .vt-row')].slice(0, 6).map((e) => {
    const r = e.getBoundingClientRect();
    return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
  }))`) as Promise<string>;
}

const stage = await openStage();
try {
  await ok(stage.host, 'fleet:import', { format: 'json', text: JSON.stringify({ switchyard: 'fleet', version: 1, servers }) });
  for (const theme of THEMES) {
    await themedPage(stage.browser, { width: 1600, height: 900 }, theme, async (page) => {
      await page.goto(`${stage.host.url}#/fleet`);
      await page.locator('.vt-row').first().waitFor();
      const first = await boxes(page);
      await page.screenshot({ path: path.join(OUT, `fleet-first-paint-1600x900-${theme}.png`) });
      await ready(page);
      // Settled: the live values have reached the table (a status other than unknown on a row).
      await until('live statuses', async () =>
        (await page.locator('.vt-row').first().innerText()).match(/Online|Down|Unreachable|SIP down/i) ? true : null,
      );
      const settled = await boxes(page);
      await page.screenshot({ path: path.join(OUT, `fleet-settled-1600x900-${theme}.png`) });
      process.stdout.write(`${theme}: rows ${first === settled ? 'did not move' : `moved: ${first} → ${settled}`}\n`);
    });
  }
  process.stdout.write(`screenshots in ${OUT}\n`);
} finally {
  await stage.close();
}
