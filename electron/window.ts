import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';
import type { OriginCheck } from './security';

/** Where our renderer lives, and how to recognise it in a URL. */
export interface RendererLocation {
  /** What the window loads. */
  readonly url: string;
  /** True only for our own pages: same file in production, same origin as the dev server. */
  readonly isOurs: OriginCheck;
}

/**
 * Production loads out/renderer/index.html from the app folder; `electron-vite dev` sets
 * ELECTRON_RENDERER_URL to its dev server. The variable is honoured only in an unpackaged run,
 * so an environment variable can never point an installed Switchyard at someone else's page.
 */
export function rendererLocation(appPath: string, packaged: boolean, devUrl: string | undefined): RendererLocation {
  if (!packaged && devUrl !== undefined && devUrl !== '') {
    const origin = new URL(devUrl).origin;
    return { url: devUrl, isOurs: (url) => originOf(url) === origin };
  }
  const page = pathToFileURL(path.join(appPath, 'out', 'renderer', 'index.html'));
  return {
    url: page.href,
    // file:// URLs all share the opaque origin "null", so compare the exact file instead; the
    // query and hash are free for the renderer's own routing.
    isOurs: (url) => {
      const parsed = parseUrl(url);
      return parsed !== null && parsed.protocol === 'file:' && parsed.pathname === page.pathname && parsed.host === '';
    },
  };
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function originOf(url: string): string | null {
  const parsed = parseUrl(url);
  return parsed === null || parsed.origin === 'null' ? null : parsed.origin;
}

export function createMainWindow(options: { preload: string; title: string }): BrowserWindow {
  return new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: options.title,
    // Shown once the first paint is ready, so the operator never sees a white flash.
    show: false,
    backgroundColor: '#111418',
    webPreferences: {
      preload: options.preload,
      // The renderer is treated as untrusted: no Node, its own JS world, an OS-level sandbox.
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would otherwise open links in a new window without the open handler's say.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
}
