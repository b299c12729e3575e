import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { UserConfig } from 'vite';
import { BOOT_ENTRY, bootScript } from './vite.boot-script';
import { precompress } from './vite.precompress';
import { shellChunk } from './vite.shell-chunk';

// The renderer is the same bundle for the desktop window and for `switchyard serve` in a browser.
// A production build either way: minified (electron-vite's renderer default is unminified, which
// made a 2.9 MB script), file names hashed so the web host can cache them for a year, and ECharts
// in its own chunk (loaded by the first chart shown, see src/ui/lib/charts/echarts.svelte.ts),
// and brotli/gzip copies of its text files for the web host. Both builds write out/renderer
// (and tests run either), so both make the same files.
const ZOD_CONFIG = /node_modules[\\/]zod[\\/]v4[\\/]core[\\/]core\.js$/;
const shell = shellChunk([resolve(__dirname, 'src/ui/main.ts'), resolve(__dirname, 'src/ui/boot.ts')]);

export const rendererConfig: UserConfig = {
  root: resolve(__dirname, 'src/ui'),
  base: './',
  plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.js') }), bootScript(), precompress(), shell.plugin],
  build: {
    outDir: resolve(__dirname, 'out/renderer'),
    emptyOutDir: true,
    minify: true,
    // The favicon stays a file (a data: URL in the page would be re-sent with every index.html).
    assetsInlineLimit: (file) => (file.endsWith('.svg') ? false : undefined),
    rollupOptions: {
      input: { index: resolve(__dirname, 'src/ui/index.html'), [BOOT_ENTRY]: resolve(__dirname, 'src/ui/boot.ts') },
      // The modules the page starts with in one chunk (vite.shell-chunk.ts), zod's global config
      // among them: the page's first script sets it (jitless, for the CSP) without loading the
      // schemas, which come with the first screen that needs them and import the config from it.
      output: { codeSplitting: { groups: [{ name: 'shell', test: (id) => shell.test(id) || ZOD_CONFIG.test(id) }] } },
    },
  },
};
