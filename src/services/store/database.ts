import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** A better-sqlite3 addon built for the current runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string;
}

/**
 * Opens SQLite the same way everywhere: WAL so readers never block the writer, NORMAL sync (a
 * crash may lose the last transaction, never corrupt the file), foreign keys enforced, and a
 * busy timeout so a second process (the CLI beside the app) waits instead of failing at once.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, {
    readonly: options.readonly === true,
    fileMustExist: options.readonly === true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  db.pragma('busy_timeout = 5000');
  if (options.readonly !== true) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  return db;
}
