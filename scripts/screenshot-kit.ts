import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openHost, type HostApp } from '../src/host/app';
import { callHost, CHROMIUM_ARGS, launchBrowser, makeDataDir, ROOT, startHost, type Host } from '../test/e2e/fixtures';

// What every screenshot script does the same way: its own data folder, `switchyard serve` and
// Chromium; a fresh browser context per shot with the theme already chosen (so no shot inherits
// another's dialogs or scroll); the same file names, so docs/screenshots can be refreshed from
// any run; and a refusal from the host ends the script instead of shooting a broken screen.

/** The two window sizes the docs show: a desktop monitor and a small laptop. */
export const SIZES = [
  { width: 1600, height: 900 },
  { width: 1280, height: 720 },
] as const;
export const THEMES = ['dark', 'light'] as const;

export type Size = { readonly width: number; readonly height: number };

/** Dark on the large window, light on the small: for long walks shot twice rather than four times. */
export const DARK_LARGE_LIGHT_SMALL = [
  ['dark', SIZES[0]],
  ['light', SIZES[1]],
] as const;

/** Calls a method on the host; a refusal ends the script with the method and the error. */
export async function ok<T>(host: Host, method: string, input: unknown = {}): Promise<T> {
  const result = await callHost<T>(host, method, input);
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.data as T;
}

/** Waits for the live connection and the page's body. */
export async function ready(page: Page): Promise<void> {
  await page.locator('[data-testid="live-indicator"][data-state="open"]').waitFor();
  await page.locator('main .page, main .page-body').first().waitFor();
}

/** Polls `probe` every `everyMs` until it gives something other than null, or fails naming `what`. */
export async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Runs `seed` against the host's own dispatch on `dataDir`, in this process, before anything
 * serves it: for what the contract cannot do from outside (a caller other than the local user,
 * audit entries), then closes it so `switchyard serve` can open the folder.
 */
export async function seedHost<T>(dataDir: string, seed: (app: HostApp) => Promise<T>): Promise<T> {
  const app = openHost({ dataDir, log: () => {} });
  try {
    return await seed(app);
  } finally {
    await app.close();
  }
}

/** Web fonts loaded, then a short pause for transitions to end. */
export async function fontsSettled(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
}

/** Chromium as the tests launch it, plus `extraArgs` (a certificate pin, a host mapping). */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (extraArgs.length === 0) return launchBrowser();
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export interface Stage {
  host: Host;
  browser: Browser;
  dataDir: string;
  /** Closes the browser, stops the host and removes the data folder. */
  close(): Promise<void>;
}

/**
 * A data folder (a fresh one unless `dataDir` names one that other set-up already needs), `prepare`
 * run on it before anything reads it (known hosts, a recipe book, a seeded store), the host
 * (`switchyard serve` unless `start` says otherwise) and Chromium. What started is stopped again
 * when a later step fails; the folder is removed either way.
 */
export async function openStage(
  options: { dataDir?: string; prepare?: (dataDir: string) => unknown; start?: (dataDir: string) => Promise<Host> } = {},
): Promise<Stage> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  let host: Host | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await options.prepare?.(dataDir);
    host = await (options.start ?? startHost)(dataDir);
    browser = await launchBrowser();
    return { host, browser, dataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs `use` on a page of its own context at `size`, the console's theme set before it loads. */
export async function themedPage<T>(browser: Browser, size: Size, theme: string, use: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: size });
  // A string script: the scripts are type-checked for Node, where `localStorage` does not exist.
  await context.addInitScript(`localStorage.setItem('switchyard.theme', ${JSON.stringify(theme)})`);
  const page = await context.newPage();
  try {
    return await use(page);
  } finally {
    await context.close();
  }
}

/** Writes `name`.png into `dir` and prints its name, for scripts whose shots are one long walk. */
export async function snap(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
  process.stdout.write(`${name}.png\n`);
}

export interface Shot {
  name: string;
  /** Where the page opens; the options' `hash` when left out. */
  hash?: string;
  prepare?: (page: Page) => Promise<void>;
  /** Shoot only this element, not the window. */
  element?: string;
}

export interface ShotOptions {
  hash?: string;
  /** What to wait for once the page is open, before `prepare`; `ready` when left out. */
  ready?: (page: Page) => Promise<void>;
  /** Moves the pointer to the bottom-right corner, so no hover state or tooltip shows. */
  pointerAway?: boolean;
  /** A pause in ms, or what to wait for, just before the shot (charts and fonts paint). */
  settle?: number | ((page: Page) => Promise<void>);
  /** The file's name without `.png`; NAME-WIDTHxHEIGHT-THEME when left out. */
  file?: (name: string, size: Size, theme: string) => string;
}

const defaultFile = (name: string, size: Size, theme: string) => `${name}-${size.width}x${size.height}-${theme}`;

/** Opens `shot` on the console at `url` in its own context and writes its picture into `outDir`. */
export async function shootOne(
  browser: Browser,
  url: string,
  outDir: string,
  shot: Shot,
  size: Size,
  theme: string,
  options: ShotOptions = {},
): Promise<void> {
  await themedPage(browser, size, theme, async (page) => {
    await page.goto(`${url}${shot.hash ?? options.hash ?? ''}`);
    await (options.ready ?? ready)(page);
    await shot.prepare?.(page);
    if (options.pointerAway) await page.mouse.move(size.width - 2, size.height - 2);
    if (typeof options.settle === 'number') await page.waitForTimeout(options.settle);
    else await options.settle?.(page);
    const file = path.join(outDir, `${(options.file ?? defaultFile)(shot.name, size, theme)}.png`);
    if (shot.element) await page.locator(shot.element).screenshot({ path: file });
    else await page.screenshot({ path: file });
  });
}

/** Every shot at every size (outermost) in every theme, each in a fresh context. */
export async function shootAll(
  browser: Browser,
  url: string,
  outDir: string,
  shots: readonly Shot[],
  options: ShotOptions & { sizes?: readonly Size[]; themes?: readonly string[] } = {},
): Promise<void> {
  for (const size of options.sizes ?? SIZES)
    for (const theme of options.themes ?? THEMES)
      for (const shot of shots) await shootOne(browser, url, outDir, shot, size, theme, options);
}

/** Copies each `[from, to]` pair, named without `.png`, from `outDir` to docs/screenshots. */
export async function copyToDocsAs(outDir: string, pairs: readonly (readonly [from: string, to: string])[]): Promise<void> {
  const docs = path.join(ROOT, 'docs/screenshots');
  await mkdir(docs, { recursive: true });
  for (const [from, to] of pairs) await copyFile(path.join(outDir, `${from}.png`), path.join(docs, `${to}.png`));
}

/** Copies each shot's 1600×900 picture in each theme to docs/screenshots as NAME-THEME.png. */
export async function copyToDocs(outDir: string, names: readonly string[], themes: readonly string[]): Promise<void> {
  await copyToDocsAs(
    outDir,
    names.flatMap((name) => themes.map((theme) => [`${name}-1600x900-${theme}`, `${name}-${theme}`] as const)),
  );
}

/** The output folder: the first argument, else `fallback` (relative to the checkout), created. */
export async function outputDir(fallback: string): Promise<string> {
  const dir = path.resolve(process.argv[2] ?? path.join(ROOT, fallback));
  await mkdir(dir, { recursive: true });
  return dir;
}
