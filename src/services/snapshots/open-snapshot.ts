// Opening a snapshot never writes to it. A snapshot of this build's schema is opened read-only in
// place; one from an older schema is copied to a temporary file and migrated there (the original
// is never touched); anything else is refused with a message that says what the file is.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DomainError } from '../../domain/errors';
import { openDatabase } from '../store/database';
import { LATEST_VERSION, migrate } from '../store/migrate';
import { probeSnapshotFile, type SnapshotMetaRecord } from '../store/snapshot-file';
import { openStore, type Store } from '../store/store';

export interface OpenedSnapshot {
  /** The file the user chose (the original, even when a migrated copy is what is open). */
  file: string;
  meta: SnapshotMetaRecord;
  store: Store;
  /** The schema version the file was saved with, when it had to be migrated in a temporary copy. */
  migratedFrom: number | null;
  close(): void;
}

export interface OpenSnapshotOptions {
  nativeBinding?: string;
  now?: () => number;
  /** Where a migrated copy of an older snapshot is made (default: the OS temp folder). */
  tempDir?: string;
}

/** Reads a snapshot's metadata, or throws a DomainError saying why the file is not one. */
export function readSnapshotMeta(file: string, nativeBinding?: string): SnapshotMetaRecord {
  const probe = probeSnapshotFile(file, nativeBinding);
  const name = path.basename(file);
  switch (probe.kind) {
    case 'snapshot':
      if (probe.meta.schemaVersion > LATEST_VERSION) {
        throw notOpenable(
          `${name} was saved by a newer Switchyard (${probe.meta.appVersion}, schema version ${probe.meta.schemaVersion}; this build knows up to ${LATEST_VERSION}). Open it with Switchyard ${probe.meta.appVersion} or newer.`,
        );
      }
      return probe.meta;
    case 'missing':
      throw new DomainError('not-found', `There is no snapshot file ${name}.`, { field: 'file' });
    case 'not-sqlite':
      throw notOpenable(`${name} is not a Switchyard snapshot: it is not a SQLite database at all.`);
    case 'corrupt':
      throw notOpenable(`${name} is damaged and cannot be opened (${probe.detail}). Ask for the file again; a copy may have been cut short.`);
    case 'foreign':
      throw notOpenable(`${name} is a SQLite database, but not one Switchyard wrote: it is not a snapshot.`);
    case 'live-database':
      throw notOpenable(`${name} is a live Switchyard database, not a snapshot. Save a snapshot of it with \`switchyard snapshot save\`.`);
  }
}

export function openSnapshot(file: string, options: OpenSnapshotOptions = {}): OpenedSnapshot {
  const meta = readSnapshotMeta(file, options.nativeBinding);
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  if (meta.schemaVersion === LATEST_VERSION) {
    const store = openStore({ file, readonly: true, ...binding, ...(options.now ? { now: options.now } : {}) });
    return { file, meta, store, migratedFrom: null, close: () => store.close() };
  }
  // Older schema: migrate a private copy, then open that copy read-only like any snapshot.
  const dir = mkdtempSync(path.join(options.tempDir ?? os.tmpdir(), 'switchyard-snapshot-'));
  try {
    const copy = path.join(dir, 'migrated.snapshot');
    copyFileSync(file, copy);
    const db = openDatabase(copy, binding);
    try {
      migrate(db, copy, options.now ?? Date.now);
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    const store = openStore({ file: copy, readonly: true, ...binding, ...(options.now ? { now: options.now } : {}) });
    return {
      file,
      meta,
      store,
      migratedFrom: meta.schemaVersion,
      close: () => {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function notOpenable(message: string): DomainError {
  return new DomainError('invalid-input', message, { field: 'file' });
}
