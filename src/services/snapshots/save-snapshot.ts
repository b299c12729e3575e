// Saving: a consistent copy of the live database while probes keep writing, sealed with its
// metadata. The copy is written under a temporary name and renamed when complete, so a snapshot
// file that exists is always whole. Secrets are not in SQLite at all (see the secret store), so
// there is nothing to strip; a test still searches the saved bytes for them.
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors';
import { copyDatabase, sealSnapshot, type CopyProgress, type SnapshotMetaRecord } from '../store/snapshot-file';
import { dropRawSamples } from '../store/snapshot-rollups-only';

export interface SaveSnapshotOptions {
  /** The live database file. */
  source: string;
  dest: string;
  note: string;
  appVersion: string;
  takenAt: number;
  /** Who is saving it, recorded in the file (see SnapshotMetaRecord.savedBy). */
  savedBy?: string | null;
  nativeBinding?: string;
  onProgress?: (progress: CopyProgress) => void;
  /** Leave raw samples out: rollups only, a much smaller file (see snapshot-rollups-only.ts). */
  rollupsOnly?: boolean;
}

export async function saveSnapshot(options: SaveSnapshotOptions): Promise<SnapshotMetaRecord> {
  const name = path.basename(options.dest);
  if (existsSync(options.dest)) {
    throw new DomainError('conflict', `${name} already exists: choose another name, or delete the old snapshot first.`, { field: 'file' });
  }
  if (!existsSync(path.dirname(options.dest))) {
    throw new DomainError('invalid-input', `The folder for ${name} does not exist: ${path.dirname(options.dest)}.`, { field: 'file' });
  }
  if (!existsSync(options.source)) {
    throw new DomainError('not-found', `There is no fleet database at ${options.source} to save.`, { field: 'data' });
  }
  const partial = `${options.dest}.partial-${process.pid}`;
  try {
    await copyDatabase(options.source, partial, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (options.rollupsOnly === true) dropRawSamples(partial, options.nativeBinding);
    const meta = sealSnapshot(
      partial,
      { takenAt: options.takenAt, appVersion: options.appVersion, note: options.note, savedBy: options.savedBy ?? null },
      options.nativeBinding,
    );
    renameSync(partial, options.dest);
    return meta;
  } finally {
    for (const leftover of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) rmSync(leftover, { force: true });
  }
}
