// The Snapshots area as the UI sees it: files named inside `<dataDir>/snapshots/` only (a browser
// never gets to name a path on the host), saved with progress, listed, described, opened
// read-only through the host's session switch, and compared.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SnapshotEntry, SnapshotMeta } from '../../contract/snapshots-methods';
import { DomainError } from '../../domain/errors';
import { defaultSnapshotName, snapshotNameProblem, withSnapshotExtension } from '../../domain/snapshots/file-name';
import type { CopyProgress, SnapshotMetaRecord } from '../store/snapshot-file';
import type { Store } from '../store/store';
import { compareStores, snapshotSide, type StoreComparison } from './compare';
import { checkSnapshot, openSnapshotChecked } from './open-snapshot';
import { createCheckedFiles } from './checked-files';
import { admitUpload, DEFAULT_UPLOAD_QUOTA, type UploadQuota } from './upload-quota';
import { saveSnapshot } from './save-snapshot';

/** What the service needs of the host: which fleet is live, and how to switch the console. */
export interface SnapshotSessions {
  /** The live fleet's store; null for a host started on a snapshot (no fleet on this machine). */
  live(): Store | null;
  open(file: string): Promise<SnapshotMetaRecord>;
  /** Throws when a snapshot cannot be opened now (runs still going); `open` checks it too. */
  assertIdle?(): void;
  close(): void;
}

export interface SnapshotsDeps {
  dataDir: string;
  liveFile: string;
  appVersion: string;
  /** Who saves: the OS user of the host, as action runs record who asked. */
  savedBy?: () => string;
  clock: () => number;
  sessions: SnapshotSessions;
  nativeBinding?: string;
  onProgress?: (file: string, progress: CopyProgress, done: boolean) => void;
  /**
   * The desktop shell's own file dialog: a path the user chose in the main process, null when
   * cancelled. Absent in the web host, where no caller may name a path outside the folder.
   */
  pickFile?: () => Promise<string | null>;
  /** How much browsers may upload into the folder (count and bytes); defaults otherwise. */
  uploadQuota?: Partial<UploadQuota>;
}

export const SNAPSHOTS_FOLDER = 'snapshots';

export function createSnapshotsService(deps: SnapshotsDeps) {
  const folder = path.join(deps.dataDir, SNAPSHOTS_FOLDER);
  const binding = deps.nativeBinding;
  const quota: UploadQuota = { ...DEFAULT_UPLOAD_QUOTA, ...deps.uploadQuota };
  const checked = createCheckedFiles(binding);

  const resolve = (name: string): string => {
    const problem = snapshotNameProblem(name);
    if (problem !== null) throw new DomainError('invalid-input', `The snapshot name ${problem}`, { field: 'file' });
    return path.join(folder, name);
  };
  const describe = (file: string, meta: SnapshotMetaRecord): SnapshotMeta => ({
    file: path.basename(file),
    takenAt: meta.takenAt,
    version: meta.appVersion,
    savedBy: meta.savedBy,
    schemaVersion: meta.schemaVersion,
    note: meta.note,
    counts: meta.counts,
    bytes: statSync(file).size,
  });

  return {
    folder,

    async save(input: { file?: string | undefined; note: string; rollupsOnly?: boolean }): Promise<SnapshotMeta> {
      const takenAt = deps.clock();
      const name = withSnapshotExtension(input.file?.trim() || defaultSnapshotName(takenAt));
      const dest = resolve(name);
      mkdirSync(folder, { recursive: true });
      const meta = await saveSnapshot({
        source: deps.liveFile,
        dest,
        note: input.note,
        appVersion: deps.appVersion,
        savedBy: deps.savedBy?.() ?? null,
        takenAt,
        ...(binding ? { nativeBinding: binding } : {}),
        onProgress: (p) => deps.onProgress?.(name, p, false),
        rollupsOnly: input.rollupsOnly === true,
      });
      deps.onProgress?.(name, { copiedPages: 1, totalPages: 1 }, true);
      return describe(dest, meta);
    },

    /**
     * Newest first; a file that is not a usable snapshot is listed with the reason. Each file is
     * checked in a worker with a deadline (schema and metadata only, not every page), once per
     * version of the file: a crafted file in the folder costs one bounded check, never a hang.
     */
    async list(): Promise<SnapshotEntry[]> {
      let names: string[];
      try {
        names = readdirSync(folder);
      } catch {
        return [];
      }
      const entries: SnapshotEntry[] = [];
      for (const name of names) {
        if (snapshotNameProblem(name) !== null || name.includes('.partial-')) continue;
        const file = path.join(folder, name);
        const stat = statSync(file, { throwIfNoEntry: false });
        if (!stat?.isFile()) continue;
        const { meta, problem } = await checked.describe(file, stat);
        entries.push({
          file: name,
          bytes: stat.size,
          modifiedAt: Math.round(stat.mtimeMs),
          meta: meta === null ? null : describe(file, meta),
          problem,
        });
      }
      return entries.sort((a, b) => (b.meta?.takenAt ?? b.modifiedAt) - (a.meta?.takenAt ?? a.modifiedAt));
    },

    async info(name: string): Promise<SnapshotMeta> {
      const file = resolve(name);
      return describe(file, await checkSnapshot(file, { nativeBinding: binding, quickCheck: false }));
    },

    /** Refuses an upload the folder has no room for (count and bytes), before a byte is written. */
    admitUpload(bytes: number): { maxBytes: number } {
      return admitUpload(folder, quota, bytes);
    },

    async open(name: string): Promise<SnapshotMeta> {
      const file = resolve(name);
      return describe(file, await deps.sessions.open(file));
    },

    /** Opens a file from anywhere on this computer, chosen by the user in the desktop shell's dialog. */
    async openChosen(): Promise<SnapshotMeta | null> {
      if (deps.pickFile === undefined) {
        throw new DomainError(
          'invalid-input',
          'This console runs in a browser, which cannot choose a file on the host: drop the snapshot file on the Snapshots page, or pick it there to upload it.',
          { field: 'file' },
        );
      }
      // Refused before the dialog, so nobody picks a file only to be told to wait.
      deps.sessions.assertIdle?.();
      const file = await deps.pickFile();
      if (file === null) return null;
      return describe(file, await deps.sessions.open(file));
    },

    close(): { mode: 'live' } {
      deps.sessions.close();
      return { mode: 'live' };
    },

    async diff(a: string, b: string): Promise<StoreComparison> {
      const fileA = resolve(a);
      const first = await openSnapshotChecked(fileA, openOptions(binding, deps.clock));
      try {
        const sideA = snapshotSide(first, a);
        if (b === 'live') {
          const live = deps.sessions.live();
          if (live === null)
            throw new DomainError('invalid-input', 'This console was started on a snapshot: there is no live fleet to compare with.', {
              field: 'b',
            });
          return compareStores(sideA, { store: live, label: 'Live fleet', takenAt: deps.clock() });
        }
        const second = await openSnapshotChecked(resolve(b), openOptions(binding, deps.clock));
        try {
          return compareStores(sideA, snapshotSide(second, b));
        } finally {
          second.close();
        }
      } finally {
        first.close();
      }
    },
  };
}

function openOptions(nativeBinding: string | undefined, now: () => number) {
  return { now, ...(nativeBinding ? { nativeBinding } : {}) };
}

export type SnapshotsService = ReturnType<typeof createSnapshotsService>;
