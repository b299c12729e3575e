// Screenshots of the console with 10,000 servers (`SERVERS=N` for another size):
// `npx tsx scripts/console-10k-screenshots.ts [OUTDIR]`
// (default .tmp/screenshots/console-10k). Imports a generated fleet of 10,000 loopback servers,
// lets one probe round land, then shoots the fleet page (searched and unsearched) and the
// Overview at 1600×900 and 1280×720 in both themes, and opens every screen of the rail once
// (each is loaded on first show) to check none fails to load. Copies one of each to docs/screenshots.
import path from 'node:path';
import { build } from 'vite';
import { openHost } from '../src/host/app';
import { startWebHost } from '../src/host/web/server';
import { SCREENS } from '../src/ui/lib/screens';
import { ROOT, type Host } from '../test/e2e/fixtures';
import { loopbackFleetJson } from '../test/helpers/loopback-fleet';
import { copyToDocsAs, ok, openStage, outputDir, ready, shootAll, SIZES, type Shot } from './screenshot-kit';
const N = Number(process.env.SERVERS ?? 10_000);
/** In file names: `10k`, or `1k` for `SERVERS=1000`. */
const SIZE = `${Math.round(N / 1000)}k`;
const SCREEN_DEADLINE_MS = 90_000;

/** This tree's own production build, served in process (as the console-10k benchmark does). */
async function startInProcess(dataDir: string): Promise<Host> {
  const staticDir = path.join(ROOT, '.tmp/screenshots/console-10k-build');
  await build({ configFile: path.join(ROOT, 'vite.ui.config.ts'), logLevel: 'warn', build: { outDir: staticDir, emptyOutDir: true } });
  const app = openHost({ dataDir, monitoring: true, actions: { background: true, origin: 'web' }, log: () => undefined });
  const web = await startWebHost({ app, staticDir });
  return {
    url: web.url,
    origin: new URL(web.url).origin,
    token: web.token,
    dataDir,
    stop: async () => {
      await web.close();
      await app.close();
    },
  };
}

async function main(): Promise<void> {
  const outDir = await outputDir('.tmp/screenshots/console-10k');
  const stage = await openStage({ start: startInProcess });
  const { host: h, browser } = stage;
  try {
    await ok(h, 'fleet:import', { format: 'json', text: loopbackFleetJson(N) });
    await new Promise((r) => setTimeout(r, 8_000)); // one 5 s probe round lands
    const shots: Shot[] = [
      { name: `fleet-${SIZE}`, hash: '#/fleet', prepare: async () => undefined },
      {
        name: `fleet-${SIZE}-search`,
        hash: '#/fleet',
        prepare: async (page) => {
          await page.getByRole('searchbox').fill('eu-west-sw001');
          await page.locator('.vt-row').first().waitFor();
        },
      },
      { name: `overview-${SIZE}`, hash: '#/overview', prepare: (page) => page.getByTestId('overview-tile').first().waitFor() },
    ];
    await shootAll(browser, h.url, outDir, shots, { settle: 300 });
    // Every screen loads its code on first show: open each once and refuse a failed load.
    const context = await browser.newContext({ viewport: SIZES[0] });
    const page = await context.newPage();
    await page.goto(`${h.url}#/fleet`);
    await ready(page);
    // Some screens read the whole fleet from the host (capacity, the advisor): at 10,000 servers on a
    // busy machine that has taken most of half a minute, so each is given longer and its time said.
    for (const screen of SCREENS) {
      const started = performance.now();
      await page.goto(`${h.url}#/${screen.id}`);
      await page
        .locator('main .page, main .page-body, main section, main [data-testid]')
        .first()
        .waitFor({ timeout: SCREEN_DEADLINE_MS })
        .catch((error: unknown) => {
          throw new Error(`screen ${screen.id} showed nothing within ${SCREEN_DEADLINE_MS / 1000} s`, { cause: error });
        });
      if ((await page.getByTestId('page-load-failed').count()) > 0) throw new Error(`screen ${screen.id} failed to load`);
      console.log(`${screen.id}: shown in ${Math.round(performance.now() - started)} ms`);
    }
    await page.screenshot({ path: path.join(outDir, 'last-screen-1600x900-dark.png') });
    await context.close();
    await copyToDocsAs(
      outDir,
      [`fleet-${SIZE}-1600x900-dark`, `fleet-${SIZE}-search-1280x720-light`, `overview-${SIZE}-1600x900-dark`].map(
        (name) => [name, name] as const,
      ),
    );
  } finally {
    await stage.close();
  }
}

await main();
