import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Tests that inspect or launch the desktop build share one `electron-vite build`: it runs only
// when an output is missing or older than a source, and a lock folder keeps test files running
// in parallel from building into out/ at the same time.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILT = {
  main: path.join(ROOT, 'out', 'main', 'index.js'),
  preload: path.join(ROOT, 'out', 'preload', 'index.cjs'),
  renderer: path.join(ROOT, 'out', 'renderer', 'index.html'),
};

const SOURCES = ['electron', 'src', 'resources', 'electron.vite.config.ts', 'vite.renderer.ts', 'vite.precompress.ts', 'svelte.config.js'];
const LOCK = path.join(ROOT, '.tmp', 'electron-build.lock');
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function isBuildCurrent(): boolean {
  const outputs = Object.values(BUILT);
  if (!outputs.every((file) => existsSync(file))) return false;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return SOURCES.every((source) => newestMtime(path.join(ROOT, source)) <= oldestOutput);
}

async function acquireLock(): Promise<() => void> {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      // Held by another test file; a lock left by a killed run is taken over after a while.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function runBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`electron-vite build exited with ${code}:\n${output}`))));
  });
}

/** Makes sure out/ holds a build of the current sources. */
export async function ensureElectronBuild(): Promise<void> {
  if (isBuildCurrent()) return;
  const release = await acquireLock();
  try {
    if (!isBuildCurrent()) await runBuild();
  } finally {
    release();
  }
}
