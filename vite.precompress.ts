import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

// Brotli and gzip copies of the built renderer's text files, written beside them at build time
// (`index-AbC123.js.br`, `.gz`), so the web host serves compressed bytes without compressing on
// every request (src/host/web/static-serve.ts picks one by Accept-Encoding, identity otherwise).
// The desktop window reads its files from disk and ignores them (about 0.5 MB in the package).

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Text kinds worth compressing; images other than SVG and fonts are compressed already. */
export const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|map|txt)$/i;
/** A copy must save at least a tenth, or it is not written (the identity file serves as well). */
const WORTH = 0.9;

export interface Precompressed {
  file: string;
  bytes: number;
  br: number | null;
  gz: number | null;
}

/** Writes FILE.br and FILE.gz for each compressible file (relative to dir) where it pays. */
export async function precompressFiles(dir: string, files: readonly string[]): Promise<Precompressed[]> {
  const chosen = files.filter((file) => COMPRESSIBLE.test(file));
  return Promise.all(
    chosen.map(async (file) => {
      const full = path.join(dir, file);
      const raw = await readFile(full);
      const [br, gz] = await Promise.all([
        brotli(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
        }),
        gzipped(raw, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      const write = async (suffix: string, bytes: Buffer) => {
        if (bytes.length > raw.length * WORTH) return null;
        await writeFile(`${full}${suffix}`, bytes);
        return bytes.length;
      };
      return { file, bytes: raw.length, br: await write('.br', br), gz: await write('.gz', gz) };
    }),
  );
}

export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'switchyard:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const written = await precompressFiles(outDir, Object.keys(bundle));
      const before = written.reduce((sum, w) => sum + w.bytes, 0);
      const after = written.reduce((sum, w) => sum + (w.br ?? w.bytes), 0);
      this.info(`precompressed ${written.length} files: ${(before / 1024).toFixed(0)} kB → ${(after / 1024).toFixed(0)} kB brotli`);
    },
  };
}
