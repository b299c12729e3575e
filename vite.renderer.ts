import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { UserConfig } from 'vite';

// The renderer is the same bundle for the desktop window and for `switchyard serve` in a browser.
export const rendererConfig: UserConfig = {
  root: resolve(__dirname, 'src/ui'),
  base: './',
  plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.js') })],
  build: {
    outDir: resolve(__dirname, 'out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: resolve(__dirname, 'src/ui/index.html') },
  },
};
