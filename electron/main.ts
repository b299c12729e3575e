import path from 'node:path';
import { app, dialog, Menu, session, type BrowserWindow } from 'electron';
import { openHost, type HostApp } from '../src/host/app';
import { bindContract } from './ipc';
import { bindNotifications } from './notifications';
import { buildMenu } from './menu';
import { hasNativeBinding, missingNativeBindingMessage, nativeBindingPath } from './native';
import { openSecretStore, type PersistentSecretStore } from './secret-store';
import { hardenSession, hardenWebContents } from './security';
import { connectToTeamHost, isTeamContents, isTeamUrl } from './team-host';
import { createMainWindow, rendererLocation } from './window';

// The desktop shell: one window onto the host. Everything Switchyard does lives in src/host and
// below; this file only wires Electron to it.

const APP_NAME = 'Switchyard';

/** Set before anything asks for a path: userData is derived from the app name. */
app.setName(APP_NAME);
// `--data=<dir>` (as for the CLI) points the whole profile elsewhere: a second fleet, or a test
// with a folder of its own. Set before ready so Chromium's own files follow it too.
const dataSwitch = app.commandLine.getSwitchValue('data');
if (dataSwitch !== '') app.setPath('userData', path.resolve(dataSwitch));
// Every renderer sandboxed, including any a library might create, not only our window.
app.enableSandbox();

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

const location = rendererLocation(app.getAppPath(), app.isPackaged, process.env['ELECTRON_RENDERER_URL']);

let mainWindow: BrowserWindow | null = null;
let host: HostApp | null = null;
let secrets: PersistentSecretStore | null = null;
let unbind: (() => void) | null = null;
let unbindNotifications: (() => void) | null = null;

// A second launch focuses the running console instead of opening the same database twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Applied to every WebContents, so no view created later escapes the navigation rules.
  // The team host's window may move within its team host only; every other one within our own pages.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isTeamContents(contents) ? isTeamUrl : location.isOurs));

  app.on('window-all-closed', () => {
    // The host lives and dies with its one window, on macOS too: a console left running with
    // no window would keep probing servers nobody is watching.
    app.quit();
  });

  app.on('before-quit', (event) => {
    // Let queued secret writes reach the disk before the process ends.
    const pending = secrets;
    if (pending === null) return;
    secrets = null;
    event.preventDefault();
    void pending.flush().finally(() => app.quit());
  });

  app.on('will-quit', (event) => {
    const closing = detachHost();
    if (closing === null) return;
    // Monitoring ends its probes and stops fping before the process goes, so nothing is orphaned.
    event.preventDefault();
    void closing.close().finally(() => app.quit());
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log(`[switchyard] Could not start: ${error instanceof Error ? error.stack : message}`);
      dialog.showErrorBox('Switchyard could not start', message);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, location.isOurs);

  const nativeBinding = nativeBindingPath(app.getAppPath());
  if (!hasNativeBinding(nativeBinding)) throw new Error(missingNativeBindingMessage(nativeBinding));

  const dataDir = app.getPath('userData');
  const readOnly = app.commandLine.hasSwitch('read-only');
  // Passwords never enter SQLite; the store is opened here, beside the database, and handed
  // to the host once the SSH layer takes one.
  secrets = await openSecretStore(path.join(dataDir, 'secrets.json'), log, {
    acceptBasicText: process.argv.includes('--accept-unencrypted-secrets'),
  });
  log(`[switchyard] Data in ${dataDir}; secrets: ${secrets.kind}${readOnly ? '; read-only' : ''}.`);
  host = openHost({
    dataDir,
    readOnly,
    nativeBinding,
    log,
    secrets,
    monitoring: true,
    actions: { background: true, origin: 'desktop' },
    pickSnapshotFile: chooseSnapshotFile,
  });

  Menu.setApplicationMenu(
    buildMenu({
      appName: APP_NAME,
      developer: !app.isPackaged,
      onOpenSnapshot: () => void openSnapshotFromMenu(),
      onConnectTeamHost: () => void connectToTeamHost({ dataDir, parent: mainWindow, onConnected: stopLocalHost }),
    }),
  );

  const window = createMainWindow({
    preload: path.join(app.getAppPath(), 'out', 'preload', 'index.cjs'),
    title: readOnly ? `${APP_NAME} (read-only)` : APP_NAME,
  });
  mainWindow = window;
  // A wall display keeps "(read-only)" in its title whatever the page calls itself.
  if (readOnly) window.on('page-title-updated', (event) => event.preventDefault());
  unbind = bindContract(host, window, location.isOurs);
  unbindNotifications = bindNotifications(host, () => mainWindow);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = null;
  });
  await window.loadURL(location.url);
}

/** Unbinds the window from the host and hands the host back to be closed (null when none runs). */
function detachHost(): HostApp | null {
  unbind?.();
  unbind = null;
  unbindNotifications?.();
  unbindNotifications = null;
  const detached = host;
  host = null;
  return detached;
}

/**
 * Connected to a team host: the team host probes the fleet, keeps the history and runs the actions,
 * so this desktop's own host stops (monitoring ends its probes) and its window closes. The team
 * host's window is then the app's only one; closing it quits as closing the console does.
 */
async function stopLocalHost(): Promise<void> {
  const closing = detachHost();
  const window = mainWindow;
  mainWindow = null;
  if (window !== null && !window.isDestroyed()) window.close();
  await closing?.close();
  log('[switchyard] Connected to a team host: this desktop no longer runs its own host.');
}

/** "Open snapshot file…": the one place a path from anywhere on this computer reaches the host. */
async function chooseSnapshotFile(): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open snapshot file',
    properties: ['openFile'],
    filters: [
      { name: 'Switchyard snapshots', extensions: ['snapshot'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const window = mainWindow;
  const chosen =
    window === null || window.isDestroyed() ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(window, options);
  return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
}

/** The menu item goes through the contract like the page's button, so both refuse a bad file alike. */
async function openSnapshotFromMenu(): Promise<void> {
  if (host === null) return;
  const result = await host.dispatch('snapshots:open-file', {});
  // Opened: the host's app:changed event puts the banner up. Refused: say why, in the shell's words.
  if (!result.ok) dialog.showErrorBox('Switchyard could not open that file', result.error.message);
}
