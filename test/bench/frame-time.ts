// Frame time of the fleet page in Chromium with 1,000 servers whose status is pushed every
// second, against the same page with the same 1,000 rows and the pushes held back (peer).
//
// One `switchyard serve` with 1,000 servers on 127.100.0.0 … 127.103.0.0 probed every second:
// ICMP answers every 127/8 address and SIP finds no listener there (a loss within the 500 ms
// deadline), so every server produces one update a second. Each phase opens the page in a fresh
// context, sorts the table by status, starts a requestAnimationFrame loop and, over the window,
// sits idle, scrolls the virtual table with the wheel, and hovers status icons (the latency card
// with its sparkline).
// The peer phase drops `monitoring:samples` frames on their way into the page (playwright's
// WebSocket routing), so the only difference between the phases is the live updates.
//
// Headless Chromium paces frames at 60 Hz whatever the flags, so the interval between
// requestAnimationFrame callbacks is 16.7 ms for every frame on time and a "< 16 ms" goal could
// never be read from it. The figure compared is each frame's main-thread work instead (from its
// requestAnimationFrame callback until its style, layout and paint are done); a frame whose work
// fits in 16 ms is not dropped. Work between frames (a pushed message being parsed) is not in that
// figure, so the intervals are reported beside it: the share of frames that came late (over
// 20 ms after the one before) says whether anything else stalled the page.
import { rm } from 'node:fs/promises';
import { chromium, type Page } from 'playwright-core';
import { callHost, CHROMIUM_ARGS, makeDataDir, startHost } from '../e2e/fixtures';
import { emit, fmt, log, median, percentile } from './lib/report';

const SERVERS = 1_000;
const short = process.argv.includes('--short');
/** Per round and side; two rounds make the ~20 s per side the issue asks for. */
const WINDOW_MS = short ? 8_000 : 10_000;
const ROUNDS = short ? 1 : 2;
const VIEWPORT = { width: 1400, height: 900 };

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

interface Phase {
  /** Intervals between frames (paced at 60 Hz: 16.7 ms is a frame on time). */
  frames: number[];
  /** Main-thread work per frame: callbacks, style, layout, paint. */
  work: number[];
  updates: number;
  seconds: number;
}

// As a string: the TypeScript loader's helpers do not exist inside the page.
// A message posted from a frame's callback is handled once that frame's style, layout and paint
// are done, so now() there minus the callback's start is the frame's main-thread work.
const FRAME_LOOP = `(() => {
  window.__frames = [];
  window.__work = [];
  window.__stop = false;
  const channel = new MessageChannel();
  let started = 0;
  channel.port1.onmessage = () => window.__work.push(performance.now() - started);
  let last = 0;
  const tick = (t) => {
    if (last > 0) window.__frames.push(t - last);
    last = t;
    started = performance.now();
    channel.port2.postMessage(0);
    if (!window.__stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Frames that came over 20 ms after the one before (at 60 Hz: at least one vsync missed), in %. */
const latePct = (intervals: readonly number[]) => (100 * intervals.filter((ms) => ms > 20).length) / Math.max(intervals.length, 1);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Idle, then wheel-scroll the table down and back, then hover status icons, to the end of the window. */
async function exercise(page: Page, until: number): Promise<void> {
  const table = page.locator('.vt').first();
  const box = await table.boundingBox();
  const x = (box?.x ?? 400) + (box?.width ?? 800) / 2;
  const y = (box?.y ?? 200) + Math.min(300, (box?.height ?? 600) / 2);
  const third = (until - Date.now()) / 3;
  await sleep(third);
  await page.mouse.move(x, y);
  for (let i = 0; Date.now() < until - third; i += 1) {
    await page.mouse.wheel(0, i % 40 < 20 ? 240 : -240);
    await sleep(50);
  }
  for (let i = 0; Date.now() < until; i += 1) {
    const icons = page.getByTestId('status-icon');
    const n = await icons.count();
    if (n > 0)
      await icons
        .nth(i % n)
        .hover({ timeout: 2_000 })
        .catch(() => undefined);
    await sleep(150);
  }
}

async function phase(url: string, live: boolean): Promise<Phase> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    let updates = 0;
    let counting = false;
    await page.routeWebSocket(/\/api\/events/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((message) => {
        const text = typeof message === 'string' ? message : message.toString();
        if (text.startsWith('{"event":"monitoring:samples"')) {
          if (counting) {
            // Packed on the web socket (samples-wire.ts: `u`, one array per server) or as the contract has it (`updates`).
            const { payload: p } = JSON.parse(text) as { payload: { updates?: unknown[]; u?: unknown[] } };
            updates += (p.u ?? p.updates ?? []).length;
          }
          if (!live) return;
        }
        ws.send(message);
      });
    });
    await page.goto(`${url}#/fleet`);
    await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
    await page.locator('.vt-row').first().waitFor();
    // Sorted by status, worst first: the order follows the pushed statuses (held while the
    // pointer is over the table, so the scroll and hover parts do not re-sort under it).
    await page.locator('.sort-btn', { hasText: 'Status' }).click();
    await sleep(2_000); // first updates and the page's own start-up settle
    await page.evaluate(FRAME_LOOP);
    counting = true;
    const started = Date.now();
    await exercise(page, started + WINDOW_MS);
    counting = false;
    const elapsed = (Date.now() - started) / 1000;
    const [frames, work] = (await page.evaluate('window.__stop = true, [window.__frames, window.__work]')) as [number[], number[]];
    await context.close();
    return { frames, work, updates, seconds: elapsed };
  } finally {
    await browser.close();
  }
}

const dataDir = await makeDataDir();
const host = await startHost(dataDir);
try {
  const imported = await callHost(host, 'fleet:import', { format: 'json', text: fleetJson() });
  if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.error)}`);
  const settings = await callHost(host, 'settings:update', { probeIntervalSec: 1, sipDeadlineMs: 500 });
  if (!settings.ok) throw new Error(`settings failed: ${JSON.stringify(settings.error)}`);
  log(`frame-time: ${SERVERS} servers probed every second; warming up …`);
  await sleep(5_000);
  // Alternated, so drift in the machine's load falls on both sides alike.
  const rounds: Record<'live' | 'static', Phase[]> = { live: [], static: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    rounds.static.push(await phase(host.url, false));
    rounds.live.push(await phase(host.url, true));
  }
  const pooled = (ps: Phase[]) => ({
    frames: ps.flatMap((p) => p.frames),
    work: ps.flatMap((p) => p.work),
    updatesPerSec: ps.reduce((s, p) => s + p.updates, 0) / ps.reduce((s, p) => s + p.seconds, 0),
  });
  const ours = pooled(rounds.live);
  const peer = pooled(rounds.static);
  for (const [name, p] of [
    ['live', ours],
    ['static', peer],
  ] as const) {
    log(
      `  ${name}: ${p.frames.length} frames; work median ${fmt(median(p.work))} ms, p95 ${fmt(percentile(p.work, 0.95))} ms, p99 ${fmt(percentile(p.work, 0.99))} ms; ` +
        `interval median ${fmt(median(p.frames))} ms, p95 ${fmt(percentile(p.frames, 0.95))} ms, late ${fmt(latePct(p.frames), 1)} %; ${fmt(p.updatesPerSec, 0)} status updates/s pushed`,
    );
  }
  const a = percentile(ours.work, 0.95);
  const b = percentile(peer.work, 0.95);
  emit([
    {
      benchmark: `Fleet page, ${fmt(SERVERS, 0)} servers, live status every second (Chromium)`,
      measure: `p95 frame work, ms, ${(WINDOW_MS * ROUNDS) / 1000} s idle/scroll/hover (${fmt(ours.updatesPerSec, 0)} updates/s; late frames ${fmt(latePct(ours.frames), 1)} % vs ${fmt(latePct(peer.frames), 1)} %)`,
      ours: fmt(a),
      peer: `${fmt(b)} (updates held back)`,
      ratio: `${fmt(a / b)}×`,
      goal: '< 16 ms',
      met: a < 16,
    },
  ]);
} finally {
  await host.stop();
  await rm(dataDir, { recursive: true, force: true });
}
