// Screenshots of the console with 10,000 servers (`SERVERS=N` for another size):
// `npx tsx scripts/console-10k-screenshots.ts [OUTDIR]`
// (default .tmp/screenshots/console-10k). Imports a generated fleet of 10,000 loopback servers,
// lets one probe round land, then shoots the fleet page (searched and unsearched) and the
// Overview at 1600×900 and 1280×720 in both themes, and opens every screen of the rail once
// (each is loaded on first show) to check none fails to load. Copies one of each to docs/screenshots.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { openHost } from '../src/host/app';
import { startWebHost } from '../src/host/web/server';
import { SCREENS } from '../src/ui/lib/screens';
import { launchBrowser, makeDataDir, ROOT, type Host } from '../test/e2e/fixtures';
import { ok, ready } from './screenshot-kit';

const SIZES = [
  { width: 1600, height: 900 },
  { width: 1280, height: 720 },
] as const;
const THEMES = ['dark', 'light'] as const;
const N = Number(process.env.SERVERS ?? 10_000);
/** In file names: `10k`, or `1k` for `SERVERS=1000`. */
const SIZE = `${Math.round(N / 1000)}k`;

function fleetJson(): string {
  const zones = ['us-east', 'eu-west', 'uk-london', 'ap-south'];
  const servers = Array.from({ length: N }, (_, i) => ({
    ip: `127.${100 + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`,
    alias: `${zones[i % zones.length]}-sw${String(i).padStart(5, '0')}`,
    type: i % 10 === 0 ? 'dispatcher' : 'switch',
    zone: zones[i % zones.length],
  }));
  return JSON.stringify({ switchyard: 'fleet', version: 1, servers });
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, '.tmp/screenshots/console-10k'));
  await mkdir(outDir, { recursive: true });
  const dataDir = await makeDataDir();
  let host: Host | null = null;
  const browser = await launchBrowser();
  try {
    // This tree's own production build, served in process (as the console-10k benchmark does).
    const staticDir = path.join(ROOT, '.tmp/screenshots/console-10k-build');
    await build({ configFile: path.join(ROOT, 'vite.ui.config.ts'), logLevel: 'warn', build: { outDir: staticDir, emptyOutDir: true } });
    const app = openHost({ dataDir, monitoring: true, actions: { background: true, origin: 'web' }, log: () => undefined });
    const web = await startWebHost({ app, staticDir });
    host = {
      url: web.url,
      origin: new URL(web.url).origin,
      token: web.token,
      dataDir,
      stop: async () => {
        await web.close();
        await app.close();
      },
    };
    const h = host;
    await ok(h, 'fleet:import', { format: 'json', text: fleetJson() });
    await new Promise((r) => setTimeout(r, 8_000)); // one 5 s probe round lands
    const shots: { name: string; hash: string; prepare(page: Page): Promise<void> }[] = [
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
    for (const size of SIZES) {
      for (const theme of THEMES) {
        for (const shot of shots) {
          const context = await browser.newContext({ viewport: size });
          await context.addInitScript(`localStorage.setItem('switchyard.theme', ${JSON.stringify(theme)})`);
          const page = await context.newPage();
          try {
            await page.goto(`${h.url}${shot.hash}`);
            await ready(page);
            await shot.prepare(page);
            await page.waitForTimeout(300);
            await page.screenshot({ path: path.join(outDir, `${shot.name}-${size.width}x${size.height}-${theme}.png`) });
          } finally {
            await context.close();
          }
        }
      }
    }
    // Every screen loads its code on first show: open each once and refuse a failed load.
    const context = await browser.newContext({ viewport: SIZES[0] });
    const page = await context.newPage();
    await page.goto(`${h.url}#/fleet`);
    await ready(page);
    for (const screen of SCREENS) {
      await page.goto(`${h.url}#/${screen.id}`);
      await page.locator('main .page, main .page-body, main section, main [data-testid]').first().waitFor({ timeout: 30_000 });
      if ((await page.getByTestId('page-load-failed').count()) > 0) throw new Error(`screen ${screen.id} failed to load`);
    }
    await page.screenshot({ path: path.join(outDir, 'last-screen-1600x900-dark.png') });
    await context.close();
    const docs = path.join(ROOT, 'docs/screenshots');
    await mkdir(docs, { recursive: true });
    for (const name of [`fleet-${SIZE}-1600x900-dark`, `fleet-${SIZE}-search-1280x720-light`, `overview-${SIZE}-1600x900-dark`]) {
      await copyFile(path.join(outDir, `${name}.png`), path.join(docs, `${name}.png`));
    }
  } finally {
    await browser.close();
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
