import Database from 'better-sqlite3';
import { decodeChunk } from './sample-chunk-codec';
import { registerRollupBlockRows } from './rollup-blocks';

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
    // A flush of a thousand servers' samples dirties a page per probe series. With the default
    // 1,000-page checkpoint nearly every flush copied the WAL back into the file and synced it;
    // 8,192 pages (32 MB) lets a page absorb many flushes first, and the WAL file is cut back to
    // 64 MB at most after a checkpoint. Ingest ran about twice as fast (test/bench/ingest.ts).
    db.pragma('wal_autocheckpoint = 8192');
    db.pragma('journal_size_limit = 67108864');
  }
  db.pragma('foreign_keys = ON');
  // 32 MB of page cache (the default is 2 MB): the pages a flush touches stay in memory.
  db.pragma('cache_size = -32768');
  // Unpacks a sample chunk into rows, so the probe_samples view (migration 017) reads packed
  // history like the row-per-sample table. Our code reads chunks itself; this is for the view.
  db.table('probe_chunk_samples', {
    columns: ['at', 'rtt_us', 'code'],
    parameters: ['start', 'data'],
    *rows(start: unknown, data: unknown) {
      if (typeof start !== 'number' || !(data instanceof Uint8Array)) return;
      const cols = decodeChunk(start, data);
      for (let i = 0; i < cols.at.length; i += 1) yield [cols.at[i], cols.rttUs[i], cols.code[i]];
    },
  });
  registerRollupBlockRows(db);
  return db;
}
