import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// The data folder holds the fleet (addresses, SSH users, audit log with command output), the app's
// known_hosts and snapshots: nobody but the operator's account should read them, whatever the
// umask. Made private when created; checked when opened, with a warning naming what is too open
// (changed only by the operator: a shared folder may be set up that way on purpose).

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** POSIX modes only: on Windows the folder's ACL is inherited from the user profile. */
const posix = process.platform !== 'win32';

/** Creates the folder (and missing parents) as 0700; an existing folder is left as it is. */
export function createPrivateDir(dir: string): void {
  const existed = existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // The mode given to mkdir passes through the umask; a strict umask can only make it stricter.
  if (!existed && posix) chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates an empty file as 0600 if it does not exist, so SQLite opens ours rather than creating
 * one with its default 0644: its WAL and shared-memory files then take the database's mode.
 */
export function createPrivateFile(file: string): void {
  if (existsSync(file)) return;
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  if (posix) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Sets a file we just wrote (a snapshot, a backup) to 0600. */
export function makePrivate(file: string): void {
  if (posix && existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/** The warning for a path that others than its owner may read, write or enter; null when private or absent. */
export function tooOpen(file: string): string | null {
  if (!posix) return null;
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return null;
  }
  if ((stat.mode & 0o077) === 0) return null;
  const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
  const wanted = stat.isDirectory() ? '700' : '600';
  return `[switchyard] warning: ${file} is readable by other users (mode ${mode}); run \`chmod ${wanted} '${file}'\` to keep it to your account.`;
}

/**
 * Warnings for everything private in a data folder: the folder, the database with its WAL and
 * shared memory, the app's known_hosts, the snapshots folder and each snapshot in it.
 */
export function checkDataFolder(dataDir: string, databaseFile: string): string[] {
  const snapshots = path.join(dataDir, 'snapshots');
  const paths = [dataDir, databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`, path.join(dataDir, 'known_hosts'), snapshots];
  try {
    for (const name of readdirSync(snapshots)) paths.push(path.join(snapshots, name));
  } catch {
    // No snapshots folder yet.
  }
  return paths.map(tooOpen).filter((warning): warning is string => warning !== null);
}
