import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { callHost, ROOT, type Host } from '../test/e2e/fixtures';

// What every screenshot script does the same way: call the host and stop on a refusal, and wait
// until a page is live and drawn before shooting it.

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

/** Copies each shot's 1600×900 picture in each theme to docs/screenshots as NAME-THEME.png. */
export async function copyToDocs(outDir: string, names: readonly string[], themes: readonly string[]): Promise<void> {
  const docs = path.join(ROOT, 'docs/screenshots');
  await mkdir(docs, { recursive: true });
  for (const name of names)
    for (const theme of themes) await copyFile(path.join(outDir, `${name}-1600x900-${theme}.png`), path.join(docs, `${name}-${theme}.png`));
}
