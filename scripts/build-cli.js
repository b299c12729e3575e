#!/usr/bin/env node
// `npm run build:cli`: bundles the CLI (src/cli/main.ts and everything it imports) into ES
// modules under out/cli/: the entry switchyard.mjs and, since main.ts imports each command's
// module only when that command runs, one chunk per piece of code that commands share
// (chunk-HASH.mjs, split by esbuild). A command then loads and compiles only its own chunks:
// `fleet list` reads about a fifth of the 3 MB one file held. bin/switchyard.js runs the bundle
// only while it is newer than every file under src/ and resources/ and than package-lock.json,
// and the sources through tsx otherwise: an edit is never run stale.
//
// better-sqlite3 and ssh2 (with its optional cpu-features) stay external and load from
// node_modules: they are native, and snapshot-check resolves better-sqlite3's path for its worker.
// The bundle sits two folders below the repository like src/cli does, so the paths the code
// takes from import.meta.url (package.json for the version, out/renderer/ for serve) still resolve;
// the chunks sit beside the entry for the same reason.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CLI_BUNDLE = path.join(root, 'out/cli/switchyard.mjs');

/** Native, or resolved by path at run time: loaded from node_modules, never bundled. */
const NATIVE = ['better-sqlite3', 'ssh2', 'cpu-features'];

/** A chunk no build has written for this long is one no running CLI still loads: removed then. */
const STALE_CHUNK_MS = 60 * 60 * 1000;

/**
 * Builds into a temporary folder beside `outfile`, moves the chunks in (content-hashed names: an
 * unchanged chunk is the same file), then the entry last by a rename, so a CLI starting meanwhile
 * never reads half a bundle. Chunks of earlier builds stay an hour for CLIs already running
 * (`serve` imports some lazily), then go.
 */
export async function buildCli(outfile = CLI_BUNDLE) {
  const dir = path.dirname(outfile);
  mkdirSync(dir, { recursive: true });
  const partial = path.join(dir, `.build-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  try {
    const result = await build({
      entryPoints: [path.join(root, 'src/cli/main.ts')],
      outdir: partial,
      entryNames: path.basename(outfile, '.mjs'),
      chunkNames: 'chunk-[hash]',
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: NATIVE,
      // Minified: node parses and compiles every file it loads at every start, and a third of the bytes parse faster.
      minify: true,
      // The pure-JS packages are bundled (hundreds of files fewer to find and read at each start);
      // CommonJS among them calls require(), which an ES module gets from createRequire (in every chunk).
      banner: {
        js: "import { createRequire as __switchyardRequire } from 'node:module'; const require = __switchyardRequire(import.meta.url);",
      },
      // No source map: node reads one only with --enable-source-maps, and inline it would double what every start parses.
      logLevel: 'warning',
      metafile: true,
    });
    const written = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
    const entry = path.basename(outfile);
    for (const name of written) if (name !== entry) renameSync(path.join(partial, name), path.join(dir, name));
    renameSync(path.join(partial, entry), outfile);
    pruneChunks(dir, new Set(written));
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return outfile;
}

function pruneChunks(dir, keep) {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!/^chunk-.*\.mjs$/.test(name) || keep.has(name)) continue;
    const file = path.join(dir, name);
    if (now - statSync(file).mtimeMs > STALE_CHUNK_MS) rmSync(file, { force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildCli();
  console.error(`built ${path.relative(root, CLI_BUNDLE)} in ${Date.now() - started} ms`);
}
