// First paint of the fleet page: time from navigation start until the first fleet row is on
// screen, in a Chromium opened fresh each time (empty cache, as a first visit or a wall display
// after a reboot), with 1,000 servers in the fleet.
//
// Both sides are built from the same sources in this run and served by the same host, so the
// only difference is the build: ours is the production build (minified, ECharts in its own
// chunk loaded by the first chart, brotli/gzip copies written at build time); the peer is the
// build as it was shipped before (unminified, one script holding ECharts, served uncompressed).
// Runs alternate peer, ours, peer, ours, so drift in the machine's load falls on both alike.
// The host runs in a process of its own (lib/first-paint-host.ts), as `switchyard serve` does, so
// the browser's driver in this process takes none of its event loop.
// A third side, "without", is ours served by a host that does not write the first screen's
// answers into the page (as before src/host/web/first-screen.ts): the page then asks for them
// with its calls. It alternates with the other two, so what the answers in the page save is
// measured in the same minutes.
//
// "On screen" is the first animation frame after a `.vt-row` element exists (an init script's
// MutationObserver sees the row; the frame that follows paints it), read from performance.now(),
// whose origin is the navigation's start (the printed URL's redirect included).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, ROOT } from '../e2e/fixtures';
import { stopperFor } from '../helpers/stop-child';
import { emit, fmt, log, median, percentile } from './lib/report';

const SERVERS = 1_000;
const short = process.argv.includes('--short');
const RUNS = short ? 4 : 12;
const GOAL_MS = 500;
const OUT = path.join(ROOT, '.tmp/bench/first-paint');

function fleetJson(): string {
  const zones = ['us-east', 'eu-west', 'uk-london', 'ap-south'];
  const servers = Array.from({ length: SERVERS }, (_, i) => ({
    ip: `127.${100 + Math.floor(i / 250)}.${i % 250}.${((i * 7) % 250) + 2}`,
    alias: `${zones[i % zones.length]}-sw${String(i).padStart(4, '0')}`,
    type: 'switch',
    zone: zones[i % zones.length],
  }));
  return JSON.stringify({ switchyard: 'fleet', version: 1, servers });
}

const FIRST_ROW_MARK = 'switchyard-bench-first-row';

/**
 * Runs before any script of the page (playwright's init scripts are not subject to the page's CSP).
 * It reports through the console, which the driver hears without putting anything in the page:
 * waiting with waitForFunction would have playwright evaluate its own script (about 35-80 ms of the
 * page's main thread in a fresh browser) while the page loads.
 */
const FIRST_ROW = `(() => {
  const seen = () => {
    requestAnimationFrame(() => { window.__firstRow = performance.now(); console.debug('${FIRST_ROW_MARK}', window.__firstRow); });
  };
  const observer = new MutationObserver(() => {
    if (document.querySelector('.vt-row')) { observer.disconnect(); seen(); }
  });
  observer.observe(document, { childList: true, subtree: true });
})()`;

async function buildSide(side: 'ours' | 'peer'): Promise<string> {
  const outDir = path.join(OUT, side);
  await build({
    configFile: path.join(ROOT, 'vite.ui.config.ts'),
    logLevel: 'warn',
    build:
      side === 'ours'
        ? { outDir, emptyOutDir: true }
        : {
            outDir,
            emptyOutDir: true,
            minify: false,
            // One input (no boot script), one script: the page as it was before.
            rollupOptions: { input: path.join(ROOT, 'src/ui/index.html'), output: { codeSplitting: false } },
          },
  });
  if (side === 'peer') {
    // The old host had no compressed copies to send.
    for (const dir of [outDir, path.join(outDir, 'assets')]) {
      for (const name of await readdir(dir)) if (/\.(br|gz)$/.test(name)) await rm(path.join(dir, name));
    }
  }
  return outDir;
}

interface Run {
  firstRowMs: number;
  /** Bytes of script and style that crossed the wire (compressed when compressed). */
  transferred: number;
}

async function openOnce(url: string): Promise<Run> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(FIRST_ROW);
    const page = await context.newPage();
    const firstRow = new Promise<void>((resolve) => {
      page.on('console', (message) => {
        if (message.text().startsWith(FIRST_ROW_MARK)) resolve();
      });
    });
    // The figure is read inside the page; playwright's own load wait would only add its polling.
    await page.goto(`${url}#/fleet`, { waitUntil: 'commit', timeout: 90_000 });
    await Promise.race([
      firstRow,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no fleet row within 90 s')), 90_000).unref()),
    ]);
    const [firstRowMs, transferred] = (await page.evaluate(
      `[window.__firstRow, performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'script' || e.initiatorType === 'link').reduce((s, e) => s + e.transferSize, 0)]`,
    )) as [number, number];
    await context.close();
    return { firstRowMs, transferred };
  } finally {
    await browser.close();
  }
}

await mkdir(OUT, { recursive: true });
log('first-paint: building the production build and the old unminified build …');
const dirs = { ours: await buildSide('ours'), peer: await buildSide('peer') };
const fleetFile = path.join(OUT, 'fleet.json');
await writeFile(fleetFile, fleetJson());
const sides = {
  ours: { staticDir: dirs.ours, firstScreen: true },
  peer: { staticDir: dirs.peer, firstScreen: true },
  without: { staticDir: dirs.ours, firstScreen: false },
};
type Side = keyof typeof sides;
const host = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(ROOT, 'test/bench/lib/first-paint-host.ts'), fleetFile, JSON.stringify(sides)],
  {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const stopHost = stopperFor(host);
try {
  const [line] = (await once(createInterface({ input: host.stdout }), 'line')) as [string];
  const urls = JSON.parse(line) as Record<Side, string>;
  log(`first-paint: ${SERVERS} servers; ${RUNS} fresh Chromium opens per side …`);
  const runs: Record<Side, Run[]> = { ours: [], peer: [], without: [] };
  for (let i = 0; i < RUNS; i += 1) {
    for (const side of ['peer', 'without', 'ours'] as const) {
      const run = await openOnce(urls[side]);
      runs[side].push(run);
      log(`  ${side} #${i + 1}: first row ${fmt(run.firstRowMs, 0)} ms, ${fmt(run.transferred / 1024, 0)} kB script and style`);
    }
  }
  const stats = (side: Side) => {
    const ms = runs[side].map((r) => r.firstRowMs);
    return { p50: median(ms), p95: percentile(ms, 0.95), kB: median(runs[side].map((r) => r.transferred)) / 1024 };
  };
  const ours = stats('ours');
  const peer = stats('peer');
  const without = stats('without');
  log(
    `  ours: p50 ${fmt(ours.p50, 0)} ms, p95 ${fmt(ours.p95, 0)} ms, ${fmt(ours.kB, 0)} kB; peer: p50 ${fmt(peer.p50, 0)} ms, p95 ${fmt(peer.p95, 0)} ms, ${fmt(peer.kB, 0)} kB; without the answers in the page: p50 ${fmt(without.p50, 0)} ms, p95 ${fmt(without.p95, 0)} ms`,
  );
  emit([
    {
      benchmark: `Fleet page first paint, ${fmt(SERVERS, 0)} servers, fresh Chromium (loopback)`,
      measure: `navigation start → first fleet row on screen, ms, p50 / p95 of ${RUNS} opens (script and style sent: ${fmt(ours.kB, 0)} kB vs ${fmt(peer.kB, 0)} kB)`,
      ours: `${fmt(ours.p50, 0)} / ${fmt(ours.p95, 0)}`,
      peer: `${fmt(peer.p50, 0)} / ${fmt(peer.p95, 0)} (old build: unminified, one script, uncompressed)`,
      ratio: `${fmt(ours.p50 / peer.p50)}× (p50)`,
      goal: `< ${GOAL_MS} ms`,
      met: ours.p95 < GOAL_MS,
    },
    {
      benchmark: `Fleet page first paint, ${fmt(SERVERS, 0)} servers: the first screen's answers in the page`,
      measure: `same opens, p50 / p95 ms; peer: the same build served without the answers (its calls fetch them)`,
      ours: `${fmt(ours.p50, 0)} / ${fmt(ours.p95, 0)}`,
      peer: `${fmt(without.p50, 0)} / ${fmt(without.p95, 0)}`,
      ratio: `${fmt(ours.p50 / without.p50)}× (p50)`,
      goal: `< ${GOAL_MS} ms`,
      met: ours.p95 < GOAL_MS,
    },
  ]);
} finally {
  await stopHost();
}
