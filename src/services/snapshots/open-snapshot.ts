// Opening a snapshot never writes to it. A snapshot of this build's schema is opened read-only in
// place; one from an older schema is copied to a temporary file and migrated there (the original
// is never touched); anything else is refused with a message that says what the file is.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DomainError } from '../../domain/errors';
import { openDatabase } from '../store/database';
import { LATEST_VERSION, migrate } from '../store/migrate';
import { checkSnapshotFile } from '../store/snapshot-check';
import { probeSnapshotFile, type SnapshotMetaRecord, type SnapshotProbe } from '../store/snapshot-file';
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

/** Reads a snapshot's metadata, or throws a DomainError saying why the file is not one (one-shot commands). */
export function readSnapshotMeta(file: string, nativeBinding?: string): SnapshotMetaRecord {
  return metaOf(probeSnapshotFile(file, nativeBinding), file);
}

/**
 * The host's check: header here, everything else in a worker with a deadline, so a crafted file
 * never holds the main thread. `quickCheck` reads every page (opening); listing leaves it off.
 */
export async function checkSnapshot(
  file: string,
  options: {
    nativeBinding?: string | undefined;
    quickCheck: boolean;
    /** The name messages use (an upload's, not its temporary one). */ shownAs?: string;
  },
): Promise<SnapshotMetaRecord> {
  const probe = await checkSnapshotFile(file, {
    quickCheck: options.quickCheck,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  return metaOf(probe, options.shownAs ?? file);
}

/** The metadata of a file that is a usable snapshot, or the refusal that says what it is instead. */
export function metaOf(probe: SnapshotProbe, file: string): SnapshotMetaRecord {
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
      throw notOpenable(
        probe.looksLike === null
          ? `${name} is not a Switchyard snapshot: it is not a SQLite database at all.`
          : `${name} is not a Switchyard snapshot: it is ${probe.looksLike}, not a SQLite database.`,
      );
    case 'corrupt':
      throw notOpenable(
        `${name} is damaged and cannot be opened (${probe.detail}). Ask for the file again; a copy may have been cut short.`,
      );
    case 'unexpected-schema':
      throw notOpenable(`${name} is not a Switchyard snapshot: ${probe.detail}. Nothing else in it was read.`);
    case 'timeout':
      throw notOpenable(
        `${name} could not be checked within ${Math.round(probe.ms / 1000)} s, so it was not opened: a real snapshot of its size checks far faster, so the file is damaged or made to stall whoever opens it.`,
      );
    case 'foreign':
      throw notOpenable(`${name} is a SQLite database, but not one Switchyard wrote: it is not a snapshot.`);
    case 'wal-mode':
      // Opening a database in this mode, even read-only, creates files beside it: it is refused unread.
      throw notOpenable(
        `${name} is not a snapshot: it is a database in write-ahead-log mode, as a live Switchyard database (or another program's) is, and a snapshot is one self-contained file. Save a snapshot of a fleet with \`switchyard snapshot save\`.`,
      );
    case 'live-database':
      throw notOpenable(`${name} is a live Switchyard database, not a snapshot. Save a snapshot of it with \`switchyard snapshot save\`.`);
  }
}

/** Opens a snapshot (one-shot commands: the check blocks this thread until its deadline at most). */
export function openSnapshot(file: string, options: OpenSnapshotOptions = {}): OpenedSnapshot {
  return openChecked(file, readSnapshotMeta(file, options.nativeBinding), options);
}

/** Opens a snapshot for the host: checked in a worker first, so the main thread never waits on the file. */
export async function openSnapshotChecked(file: string, options: OpenSnapshotOptions = {}): Promise<OpenedSnapshot> {
  return openChecked(file, await checkSnapshot(file, { nativeBinding: options.nativeBinding, quickCheck: true }), options);
}

function openChecked(file: string, meta: SnapshotMetaRecord, options: OpenSnapshotOptions): OpenedSnapshot {
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
