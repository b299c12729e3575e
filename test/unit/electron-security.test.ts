import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ROOT } from '../helpers/electron-build';

// The desktop shell's lock-down, checked twice: by reading electron/*.ts (so a change that
// weakens a setting fails review here even before anything runs) and by running security.ts and
// window.ts against recording stand-ins for Electron's objects.

const ELECTRON_DIR = path.join(ROOT, 'electron');
const sources = new Map(
  readdirSync(ELECTRON_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => [file, readFileSync(path.join(ELECTRON_DIR, file), 'utf8')] as const),
);
const source = (file: string): string => {
  const text = sources.get(file);
  if (text === undefined) throw new Error(`electron/${file} is missing`);
  return text;
};
/** All of electron/ with comments removed, so a commented-out setting counts for nothing. */
const code = (file: string): string =>
  source(file)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const recorded = vi.hoisted(() => ({
  windowOptions: [] as unknown[],
  openedExternally: [] as string[],
}));
vi.mock('electron', () => ({
  shell: {
    openExternal: (url: string) => {
      recorded.openedExternally.push(url);
      return Promise.resolve();
    },
  },
  BrowserWindow: class {
    constructor(options: unknown) {
      recorded.windowOptions.push(options);
    }
  },
}));
const security = await import('../../electron/security');
const { createMainWindow, rendererLocation } = await import('../../electron/window');

describe('electron/*.ts, read as text', () => {
  it('creates the window with sandbox and context isolation on and Node off', () => {
    const window = code('window.ts');
    expect(window).toMatch(/\bsandbox:\s*true\b/);
    expect(window).toMatch(/\bcontextIsolation:\s*true\b/);
    expect(window).toMatch(/\bnodeIntegration:\s*false\b/);
    expect(window).toMatch(/\bwebviewTag:\s*false\b/);
  });

  it('weakens no web preference anywhere', () => {
    for (const [file] of sources) {
      const text = code(file);
      expect(text, file).not.toMatch(/\bsandbox:\s*false\b/);
      expect(text, file).not.toMatch(/\bcontextIsolation:\s*false\b/);
      expect(text, file).not.toMatch(/\bnodeIntegration(InWorker|InSubFrames)?:\s*true\b/);
      expect(text, file).not.toMatch(/\bwebSecurity:\s*false\b/);
      expect(text, file).not.toMatch(/\ballowRunningInsecureContent:\s*true\b/);
      expect(text, file).not.toMatch(/\bexperimentalFeatures:\s*true\b/);
      expect(text, file).not.toMatch(/\benableBlinkFeatures\b/);
      expect(text, file).not.toMatch(/\bwebviewTag:\s*true\b/);
      expect(text, file).not.toMatch(/ELECTRON_DISABLE_SECURITY_WARNINGS/);
      expect(text, file).not.toMatch(/\bcertificate-error\b/);
      // The one certificate check the shell sets is the team host's pin (stricter than a CA, never looser).
      if (file !== 'team-host.ts') expect(text, file).not.toMatch(/setCertificateVerifyProc/);
    }
  });

  it('checks the team host window against its pin only, refusing whatever else', () => {
    const text = code('team-host.ts');
    expect(text.match(/setCertificateVerifyProc/g)).toHaveLength(1);
    expect(text).toMatch(
      /callback\(teamOrigin === null \? -2 : certificateVerdict\(current, teamOrigin, request\.hostname, request\.certificate\.data\)\)/,
    );
  });

  it('denies every permission request and check', () => {
    const text = code('security.ts');
    expect(text).toMatch(/setPermissionRequestHandler\(\(_contents, _permission, callback\) => callback\(false\)\)/);
    expect(text).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
  });

  it('calls shell.openExternal only in security.ts', () => {
    const users = [...sources.keys()].filter((file) => /\bopenExternal\b/.test(code(file)));
    expect(users).toEqual(['security.ts']);
    expect(code('security.ts').match(/\bshell\.openExternal\(/g)).toHaveLength(1);
  });

  it('exposes nothing to the page but switchyardBridge', () => {
    const preload = code('preload.ts');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toMatch(/exposeInMainWorld\('switchyardBridge', bridge\)/);
    // Runtime imports: electron and the channel names only (type imports are erased).
    const runtimeImports = [...preload.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((match) => match[1]);
    expect(runtimeImports).toEqual(['electron', '../src/contract/channels']);
  });

  it('turns on the sandbox for every renderer and hardens every web contents', () => {
    const main = code('main.ts');
    expect(main).toMatch(/app\.enableSandbox\(\)/);
    expect(main).toMatch(/'web-contents-created'[^\n]*hardenWebContents/);
    expect(main).toMatch(/hardenSession\(session\.defaultSession/);
    expect(main).toMatch(/requestSingleInstanceLock\(\)/);
  });
});

describe('createMainWindow', () => {
  it('passes exactly the locked-down web preferences', () => {
    recorded.windowOptions.length = 0;
    createMainWindow({ preload: '/app/out/preload/index.cjs', title: 'Switchyard' });
    const options = recorded.windowOptions[0] as BrowserWindowConstructorOptions;
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
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
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    });
  });
});

describe('rendererLocation', () => {
  const appPath = path.join(path.sep, 'opt', 'Switchyard', 'resources', 'app.asar');

  it('loads the built index.html in production and recognises only that file', () => {
    const location = rendererLocation(appPath, true, 'http://localhost:5173');
    expect(location.url).toMatch(/^file:\/\/.*\/out\/renderer\/index\.html$/);
    expect(location.isOurs(location.url)).toBe(true);
    expect(location.isOurs(`${location.url}#/servers`)).toBe(true);
    // Packaged: the dev-server variable is ignored.
    expect(location.isOurs('http://localhost:5173/')).toBe(false);
    expect(location.isOurs(location.url.replace('index.html', 'other.html'))).toBe(false);
    expect(location.isOurs('file:///etc/passwd')).toBe(false);
    expect(location.isOurs(location.url.replace('file://', 'file://evil.example'))).toBe(false);
    expect(location.isOurs('https://evil.example/out/renderer/index.html')).toBe(false);
    expect(location.isOurs('not a url')).toBe(false);
  });

  it('uses the dev server only in an unpackaged run, matching its origin exactly', () => {
    const location = rendererLocation('/work/app', false, 'http://localhost:5173');
    expect(location.url).toBe('http://localhost:5173');
    expect(location.isOurs('http://localhost:5173/src/main.ts')).toBe(true);
    expect(location.isOurs('http://localhost:5174/')).toBe(false);
    expect(location.isOurs('http://127.0.0.1:5173/')).toBe(false);
    expect(location.isOurs('https://localhost:5173/')).toBe(false);
    expect(location.isOurs('http://localhost:5173.evil.example/')).toBe(false);
    expect(location.isOurs('file:///work/app/out/renderer/index.html')).toBe(false);
  });
});

describe('safeOpenExternal', () => {
  beforeEach(() => {
    recorded.openedExternally.length = 0;
  });

  it('opens https links', async () => {
    await expect(security.safeOpenExternal('https://example.com/docs?a=1#b')).resolves.toBe(true);
    expect(recorded.openedExternally).toEqual(['https://example.com/docs?a=1#b']);
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'smb://attacker/share',
    'ms-msdt:/id PCWDiagnostic',
    'vscode://extension/install',
    'https://user:pass@example.com/',
    'https://bank.example@evil.example/',
    'not a url',
    '',
  ])('refuses %s', async (url) => {
    await expect(security.safeOpenExternal(url)).resolves.toBe(false);
    expect(recorded.openedExternally).toEqual([]);
  });
});

/** A stand-in session recording the handlers security.ts installs. */
function fakeSession() {
  const installed: {
    request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    check?: (...args: unknown[]) => boolean;
    device?: (...args: unknown[]) => boolean;
    headers?: (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: unknown) => void) => void;
  } = {};
  const session = {
    setPermissionRequestHandler: (handler: typeof installed.request) => (installed.request = handler),
    setPermissionCheckHandler: (handler: typeof installed.check) => (installed.check = handler),
    setDevicePermissionHandler: (handler: typeof installed.device) => (installed.device = handler),
    webRequest: { onHeadersReceived: (handler: typeof installed.headers) => (installed.headers = handler) },
  };
  return { session: session as unknown as Session, installed };
}

describe('hardenSession', () => {
  const isOurs = (url: string) => url.startsWith('http://localhost:5173/');

  it('denies every permission', () => {
    const { session, installed } = fakeSession();
    security.hardenSession(session, isOurs);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'fullscreen']) {
      const answers: boolean[] = [];
      installed.request?.({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
      expect(installed.check?.({}, permission, 'http://localhost:5173', {})).toBe(false);
    }
    expect(installed.device?.({})).toBe(false);
  });

  it('puts our CSP on our pages, replacing any the server sent', () => {
    const { session, installed } = fakeSession();
    security.hardenSession(session, isOurs);
    let response: unknown;
    installed.headers?.(
      {
        url: 'http://localhost:5173/index.html',
        responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      },
      (value) => (response = value),
    );
    expect(response).toEqual({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [EXPECTED_CSP] },
    });
  });

  it('leaves other responses alone', () => {
    const { session, installed } = fakeSession();
    security.hardenSession(session, isOurs);
    let response: unknown;
    installed.headers?.({ url: 'https://example.com/', responseHeaders: {} }, (value) => (response = value));
    expect(response).toEqual({});
  });
});

describe('hardenWebContents', () => {
  function fakeContents() {
    const handlers = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (name: string, handler: (event: { preventDefault(): void }, url?: string) => void) => handlers.set(name, handler),
      setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    };
    const fire = (name: string, url?: string): boolean => {
      let prevented = false;
      handlers.get(name)?.({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler?.({ url }) };
  }
  const ours = 'file:///app/out/renderer/index.html';
  const isOurs = (url: string) => url.split('#')[0] === ours;

  it('blocks navigation and redirects away from our page', () => {
    const { contents, fire } = fakeContents();
    security.hardenWebContents(contents, isOurs);
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', `${ours}#/servers`)).toBe(false);
    expect(fire('will-redirect', ours)).toBe(false);
  });

  it('never attaches a webview', () => {
    const { contents, fire } = fakeContents();
    security.hardenWebContents(contents, isOurs);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window and sends https links to the browser', async () => {
    const { contents, open } = fakeContents();
    security.hardenWebContents(contents, isOurs);
    recorded.openedExternally.length = 0;
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('http://example.com/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open(ours)).toEqual({ action: 'deny' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(recorded.openedExternally).toEqual(['https://example.com/']);
  });
});

describe('Content-Security-Policy', () => {
  it('is the agreed policy', () => {
    expect(security.CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP);
  });

  it('is repeated in src/ui/index.html, less frame-ancestors (ignored in a meta tag)', () => {
    const html = readFileSync(path.join(ROOT, 'src', 'ui', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i.exec(html);
    expect(meta, 'src/ui/index.html has no Content-Security-Policy meta tag').not.toBeNull();
    const directives = (policy: string) =>
      policy
        .split(';')
        .map((directive) => directive.trim().replace(/\s+/g, ' '))
        .filter((directive) => directive !== '');
    const expected = directives(EXPECTED_CSP).filter((directive) => !directive.startsWith('frame-ancestors'));
    expect(directives(meta?.[1] ?? '')).toEqual(expected);
  });
});
