#!/usr/bin/env node
// The `switchyard` command. It runs the bundle out/cli/switchyard.mjs (`npm run build:cli`; built
// by `npm test` and `npm run serve` too) when that is newer than every file under src/ and
// resources/ and than package-lock.json, and the TypeScript sources through tsx otherwise: starting from the bundle skips
// compiling TypeScript at every start, and an edit since the build is never run stale.
// SWITCHYARD_CLI=bundle or SWITCHYARD_CLI=source picks one regardless (the start-up benchmark
// and the test that both print the same); `source` runs every command as this file did before the
// bundle, --version included.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = `${root}out/cli/switchyard.mjs`;
/** What the bundle is built from: the sources, and the JSON resources they import. */
const INPUTS = [`${root}src`, `${root}resources`];
/** The pure-JS packages are bundled too: an install that changes them makes the bundle stale. */
const LOCKFILE = `${root}package-lock.json`;

function mtimeOf(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** True when some file under `dir` changed after `since` (a missing folder, as in an installed copy, has none). */
function changedSince(dir, since) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory() ? changedSince(full, since) : (mtimeOf(full) ?? 0) > since) return true;
  }
  return false;
}

function useBundle() {
  const choice = process.env.SWITCHYARD_CLI;
  if (choice === 'bundle') return true;
  if (choice === 'source') return false;
  const built = mtimeOf(BUNDLE);
  return built !== null && (mtimeOf(LOCKFILE) ?? 0) <= built && !INPUTS.some((dir) => changedSince(dir, built));
}

const args = process.argv.slice(2);
// The version needs none of the application: answered here, it costs a node start and one file.
if ((args[0] === '--version' || args[0] === '-V') && process.env.SWITCHYARD_CLI === undefined) {
  process.stdout.write(`switchyard ${JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version}\n`);
} else {
  let main;
  if (useBundle()) {
    ({ main } = await import(BUNDLE));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../src/cli/main.ts'));
  }
  process.exitCode = await main(args);
}
