import { defineConfig } from 'vite';
import { rendererConfig } from './vite.renderer';

// `npm run serve` builds only the renderer: the browser console needs no Electron main or preload.
export default defineConfig(rendererConfig);
