import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Each test: its own data folder, its own `switchyard serve`, its own Chromium. Nothing is shared,
// so tests can neither see each other's fleet nor depend on their order.

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin/switchyard.js');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Newest modification time under a folder, in ms (0 when it does not exist). */
function newest(dir: string): number {
  let latest = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const full = path.join(dir, name);
    const stat = statSync(full);
    latest = Math.max(latest, stat.isDirectory() ? newest(full) : stat.mtimeMs);
  }
  return latest;
}

let rendererChecked = false;

/**
 * `switchyard serve` serves the built renderer: rebuild it when any source it bundles is newer,
 * so the tests never run against a stale page.
 */
export function ensureRendererBuilt(): void {
  if (rendererChecked) return;
  rendererChecked = true;
  let built = 0;
  try {
    built = statSync(path.join(ROOT, 'out/renderer/index.html')).mtimeMs;
  } catch {
    built = 0;
  }
  // The build's own configuration counts too: a change to it alone must not leave a stale build.
  const configs = ['vite.ui.config.ts', 'vite.renderer.ts', 'vite.precompress.ts', 'svelte.config.js'].map((f) => {
    try {
      return statSync(path.join(ROOT, f)).mtimeMs;
    } catch {
      return 0;
    }
  });
  const sources = Math.max(...['src/ui', 'src/contract', 'src/domain'].map((d) => newest(path.join(ROOT, d))), ...configs);
  if (sources <= built) return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.ui.config.ts', '--logLevel', 'error'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

export interface Host {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  stop(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'switchyard-e2e-'));
}

/** Starts `switchyard serve` on a free port and resolves once it prints its URL. */
export async function startHost(dataDir: string, options: { readOnly?: boolean } = {}): Promise<Host> {
  ensureRendererBuilt();
  const args = [BIN, 'serve', '--data', dataDir, '--port', '0', ...(options.readOnly ? ['--read-only'] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`switchyard serve printed no URL in 30 s. stderr:\n${stderr}`)), 30_000);
    lines.on('line', (line) => {
      const match = /^Switchyard listening on (http:\/\/\S+)$/.exec(line.trim());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`switchyard serve exited (${code}) before listening. stderr:\n${stderr}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Calls the contract directly, as another client would (to seed data or check the store). */
/** A server as the fleet file's JSON lists it (the fields these tests set). */
export interface FleetFileServer {
  ip: string;
  alias: string;
  type: 'switch' | 'dispatcher';
  zone: string;
}

/** Imports servers into the host through `fleet:import`, as the Import dialog's JSON does; throws saying why it was refused. */
export async function importServers(host: Host, servers: readonly FleetFileServer[]): Promise<void> {
  const imported = await callHost(host, 'fleet:import', {
    format: 'json',
    text: JSON.stringify({ switchyard: 'fleet', version: 1, servers }),
  });
  if (!imported.ok) throw new Error(`fleet:import refused: ${JSON.stringify(imported.error)}`);
}

export async function callHost<T = unknown>(
  host: Host,
  method: string,
  input: unknown = {},
): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string; field?: string } }> {
  const res = await fetch(`${host.origin}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` },
    body: JSON.stringify({ method, input }),
  });
  return (await res.json()) as { ok: boolean; data?: T; error?: { code: string; message: string; field?: string } };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface Session {
  host: Host;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Opens the console at a route (`#/fleet`) and waits until the fleet has been read. */
  open(hash?: string): Promise<void>;
  close(): Promise<void>;
}

export async function openSession(
  options: { dataDir?: string; readOnly?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<Session> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const ownsDir = options.dataDir === undefined;
  const host = await startHost(dataDir, options.readOnly ? { readOnly: true } : {});
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  return {
    host,
    browser,
    context,
    page,
    async open(hash = '#/fleet') {
      await page.goto(`${host.url}${hash}`);
      await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
      await page.locator('main .page, main .page-body').first().waitFor();
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await host.stop();
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
