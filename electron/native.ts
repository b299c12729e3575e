import { existsSync } from 'node:fs';
import path from 'node:path';

/** Folder (relative to the app) holding better-sqlite3 compiled for Electron's ABI. */
export const NATIVE_DIR = '.electron-native';
export const NATIVE_FILE = 'better_sqlite3.node';

/**
 * better-sqlite3 is built twice: node_modules holds the build for Node (tests, `switchyard
 * serve`), `.electron-native/` the one for Electron (scripts/electron-native.js). Loading the
 * wrong one fails with an ABI error, so the desktop app always names its own. In a packaged app
 * the file lives in app.asar.unpacked, because a native module cannot be loaded from an archive.
 */
export function nativeBindingPath(appPath: string): string {
  const root = appPath.endsWith('.asar') ? `${appPath}.unpacked` : appPath;
  return path.join(root, NATIVE_DIR, NATIVE_FILE);
}

export function missingNativeBindingMessage(file: string): string {
  return (
    `Switchyard's database module for Electron was not found at ${file}.\n\n` +
    'Start the desktop app with `npm start`, which builds it once (scripts/electron-native.js).'
  );
}

export function hasNativeBinding(file: string): boolean {
  return existsSync(file);
}
