import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transport } from '../../src/contract/client';
import { ensureElectronBuild, ROOT } from '../helpers/electron-build';

// Launches the built desktop app with the real Electron runtime and checks that the window loads
// our page with the bridge and nothing more. The electron npm package does not contain the
// runtime: it is downloaded on first use (`npm start` does it). Where it has not been, this test
// is skipped and says so in its name, so a green run never hides that it did not launch.

/** The runtime as the electron package records it, without triggering a download. */
function electronRuntime(): string | null {
  const pathFile = path.join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = path.join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

const runtime = electronRuntime();
const hasElectron = runtime !== null;
const NATIVE = path.join(ROOT, '.electron-native', 'better_sqlite3.node');

if (!hasElectron) {
  process.stdout.write(
    '[electron-smoke] Skipped: the Electron runtime is not downloaded on this machine ' +
      '(node_modules/electron/path.txt or its binary is missing). `npm start` downloads it where GitHub is reachable.\n',
  );
}

/** The page's globals as this test reads them (page.evaluate bodies run in the page, not here). */
type PageScope = { switchyardBridge?: Transport; require?: unknown; process?: unknown; __inline?: boolean };

describe('desktop app', () => {
  let app: ElectronApplication | null = null;
  let dataDir = '';

  beforeAll(async () => {
    if (!hasElectron) return;
    await ensureElectronBuild();
    if (!existsSync(NATIVE)) {
      const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'electron-native.js')], { cwd: ROOT, stdio: 'inherit' });
      if (built.status !== 0) throw new Error('better-sqlite3 could not be built for Electron (scripts/electron-native.js)');
    }
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-desktop-'));
    // Electron must start as Electron and load the built page, not a dev server.
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined && name !== 'ELECTRON_RUN_AS_NODE' && name !== 'ELECTRON_RENDERER_URL') env[name] = value;
    }
    const args = [ROOT, `--data=${dataDir}`];
    // Chromium refuses to start as root with its sandbox; CI containers run as root. The page's
    // context isolation and the absence of Node are still what this test checks.
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    // No display server (CI): Chromium's headless platform.
    if (process.platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) args.unshift('--ozone-platform=headless');
    app = await _electron.launch({ executablePath: runtime ?? undefined, args, env, timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(!hasElectron)(
    `launches the desktop app${hasElectron ? '' : ' (skipped: Electron runtime not downloaded on this machine)'}`,
    async () => {
      if (app === null) throw new Error('the app did not start');
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toMatch(/^file:\/\/.*\/out\/renderer\/index\.html/);
      expect(await page.title()).toBe('Switchyard');

      // The page sees the bridge and no Node.
      expect(await page.evaluate(() => Object.keys((globalThis as PageScope).switchyardBridge ?? {}).sort())).toEqual(['invoke', 'on']);
      expect(await page.evaluate(() => typeof (globalThis as PageScope).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as PageScope).process)).toBe('undefined');

      // A real call through preload, ipcMain, the sender check and the host.
      const info = await page.evaluate(() => (globalThis as PageScope).switchyardBridge?.invoke('app:info', {}));
      expect(info).toMatchObject({ ok: true, data: { name: 'Switchyard', dataDir } });
      const refused = await page.evaluate(() =>
        (globalThis as PageScope).switchyardBridge?.invoke('not:a-method', {}).then(
          () => 'resolved',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        ),
      );
      expect(refused).toMatch(/is not a method of the Switchyard contract/);

      // The CSP is in force: an inline script does not run.
      const inlineRan = await page.evaluate(() => {
        const doc = (
          globalThis as unknown as {
            document: { createElement(tag: string): { textContent: string }; head: { append(node: unknown): void } };
          }
        ).document;
        const script = doc.createElement('script');
        script.textContent = 'globalThis.__inline = true';
        doc.head.append(script);
        return (globalThis as PageScope).__inline === true;
      });
      expect(inlineRan).toBe(false);
    },
    120_000,
  );
});
