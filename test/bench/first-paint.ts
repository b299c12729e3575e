// First paint of the fleet page: time from navigation start until the first fleet row is on
// screen, in a Chromium opened fresh each time (empty cache, as a first visit or a wall display
// after a reboot), with 1,000 servers in the fleet.
//
// Both sides are built from the same sources in this run and served by the same host, so the
// only difference is the build: ours is the production build (minified, ECharts in its own
// chunk loaded by the first chart, brotli/gzip copies written at build time); the peer is the
// build as it was shipped before (unminified, one script holding ECharts, served uncompressed).
// Runs alternate peer, ours, peer, ours, so drift in the machine's load falls on both alike.
// A third side, "without", is ours served by a host that does not write the first screen's
// answers into the page (as before src/host/web/first-screen.ts): the page then asks for them
// with its calls. It alternates with the other two, so what the answers in the page save is
// measured in the same minutes.
//
// "On screen" is the first animation frame after a `.vt-row` element exists (an init script's
// MutationObserver sees the row; the frame that follows paints it), read from performance.now(),
// whose origin is the navigation's start (the printed URL's redirect included).
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { openHost } from '../../src/host/app';
import { startWebHost, type WebHost } from '../../src/host/web/server';
import { CHROMIUM_ARGS, makeDataDir, ROOT } from '../e2e/fixtures';
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

/** Runs before any script of the page (playwright's init scripts are not subject to the page's CSP). */
const FIRST_ROW = `(() => {
  const seen = () => {
    requestAnimationFrame(() => { window.__firstRow = performance.now(); });
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
    // The figure is read inside the page; playwright's own load wait would only add its polling.
    await page.goto(`${url}#/fleet`, { waitUntil: 'commit', timeout: 90_000 });
    // A function, not a string: a string predicate is evaluated with eval, which the page's CSP refuses.
    await page.waitForFunction(() => (window as unknown as { __firstRow?: number }).__firstRow !== undefined, undefined, {
      timeout: 90_000,
    });
    const [firstRowMs, transferred] = (await page.evaluate(
      `[window.__firstRow, performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'script' || e.initiatorType === 'link').reduce((s, e) => s + e.transferSize, 0)]`,
    )) as [number, number];
    await context.close();
    return { firstRowMs, transferred };
  } finally {
    await browser.close();
  }
}

async function call(web: WebHost, method: string, input: unknown): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${web.port}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${web.token}` },
    body: JSON.stringify({ method, input }),
  });
  const reply = (await res.json()) as { ok: boolean; error?: unknown };
  if (!reply.ok) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
}

await mkdir(OUT, { recursive: true });
log('first-paint: building the production build and the old unminified build …');
const dirs = { ours: await buildSide('ours'), peer: await buildSide('peer') };
const dataDir = await makeDataDir();
// As `switchyard serve` opens it: monitoring on, so the page meets a host that is probing.
const app = openHost({ dataDir, monitoring: true, actions: { background: true, origin: 'web' }, log: () => undefined });
const hosts = {
  ours: await startWebHost({ app, staticDir: dirs.ours }),
  peer: await startWebHost({ app, staticDir: dirs.peer }),
  without: await startWebHost({ app, staticDir: dirs.ours, firstScreen: false }),
};
type Side = keyof typeof hosts;
try {
  await call(hosts.ours, 'fleet:import', { format: 'json', text: fleetJson() });
  log(`first-paint: ${SERVERS} servers; ${RUNS} fresh Chromium opens per side …`);
  const runs: Record<Side, Run[]> = { ours: [], peer: [], without: [] };
  for (let i = 0; i < RUNS; i += 1) {
    for (const side of ['peer', 'without', 'ours'] as const) {
      const run = await openOnce(hosts[side].url);
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
  await hosts.ours.close();
  await hosts.peer.close();
  await hosts.without.close();
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
}
