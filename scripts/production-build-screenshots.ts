// Screenshots of the production build: the fleet page as it first paints (ECharts not loaded),
// and a server page whose latency chart loads ECharts on demand. Also prints what the favicon
// answers, since a headless browser shows no tab.
// Run: node --import tsx scripts/production-build-screenshots.ts
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../test/e2e/fixtures';
import { ok, openStage, ready } from './screenshot-kit';

const OUT = path.join(ROOT, 'docs/screenshots');
await mkdir(OUT, { recursive: true });
const stage = await openStage();
const { host, browser } = stage;
try {
  await ok(host, 'fleet:load-demo');
  const servers = await ok<{ id: number; alias: string }[]>(host, 'fleet:list-servers');
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  const scripts: string[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script')
      scripts.push(`${r.status()} ${new URL(r.url()).pathname} ${r.headers()['content-encoding'] ?? 'identity'}`);
  });
  await page.goto(`${host.url}#/fleet`);
  await ready(page);
  await page.locator('.vt-row').first().waitFor();
  await page.screenshot({ path: path.join(OUT, 'production-build-fleet-1600x900-dark.png') });
  console.log(`fleet page scripts: ${scripts.join('; ')}`);
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  const icon = await page.request.get(new URL(href ?? '/', page.url()).href, { headers: { 'accept-encoding': 'br' } });
  console.log(`favicon ${href}: ${icon.status()} ${icon.headers()['content-type']} ${icon.headers()['cache-control']}`);
  await page.goto(`${host.origin}/#/servers/${servers[0]?.id ?? 0}`);
  await ready(page);
  await page.getByTestId('latency-chart').locator('canvas').first().waitFor();
  // The chart's first points arrive with the next probe round.
  await page.waitForFunction(
    `Number(document.querySelector('[data-testid="latency-chart"]')?.getAttribute('data-points')) > 0`,
    undefined,
    { timeout: 60_000 },
  );
  await page.screenshot({ path: path.join(OUT, 'production-build-server-chart-1600x900-dark.png') });
  console.log(`after the server page: ${scripts.join('; ')}`);
} finally {
  await stage.close();
}
