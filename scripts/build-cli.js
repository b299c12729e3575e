#!/usr/bin/env node
// `npm run build:cli`: bundles the CLI (src/cli/main.ts and everything it imports) into one ES
// module, out/cli/switchyard.mjs, so `switchyard` starts without compiling TypeScript through tsx
// on every run. bin/switchyard.js runs the bundle only while it is newer than every file under
// src/ and resources/ and than package-lock.json, and the sources through tsx otherwise: an edit
// is never run stale.
//
// better-sqlite3 and ssh2 (with its optional cpu-features) stay external and load from
// node_modules: they are native, and snapshot-check resolves better-sqlite3's path for its worker.
// The bundle sits two folders below the repository like src/cli does, so the paths the code
// takes from import.meta.url (package.json for the version, out/renderer/ for serve) still resolve.
import { build } from 'esbuild';
import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CLI_BUNDLE = path.join(root, 'out/cli/switchyard.mjs');

/** Native, or resolved by path at run time: loaded from node_modules, never bundled. */
const NATIVE = ['better-sqlite3', 'ssh2', 'cpu-features'];

/** Builds to `outfile` through a temporary file and a rename, so a CLI starting meanwhile never reads half a bundle. */
export async function buildCli(outfile = CLI_BUNDLE) {
  mkdirSync(path.dirname(outfile), { recursive: true });
  const partial = `${outfile}.${process.pid}.partial`;
  await build({
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: NATIVE,
    // Minified: node parses and compiles the whole file at every start, and a third of the bytes parse faster.
    minify: true,
    // The pure-JS packages are bundled (hundreds of files fewer to find and read at each start);
    // CommonJS among them calls require(), which an ES module gets from createRequire.
    banner: { js: "import { createRequire as __switchyardRequire } from 'node:module'; const require = __switchyardRequire(import.meta.url);" },
    // No source map: node reads one only with --enable-source-maps, and inline it would double what every start parses.
    logLevel: 'warning',
  });
  renameSync(partial, outfile);
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildCli();
  console.error(`built ${path.relative(root, CLI_BUNDLE)} in ${Date.now() - started} ms`);
}
