// What the snapshot list knows of each file, remembered per version of the file (inode, size,
// modification time): listing the folder again costs a stat per file, and a file that was refused
// is not checked again until it changes. Entries for files that went away are forgotten.
import type { Stats } from 'node:fs';
import type { SnapshotMetaRecord } from '../store/snapshot-file';
import { checkSnapshot } from './open-snapshot';
import { errorMessage } from '../../domain/error-message';

export interface CheckedFile {
  meta: SnapshotMetaRecord | null;
  problem: string | null;
}

/** Enough to keep the last few hundred files of a busy folder without growing without end. */
const MAX_REMEMBERED = 500;

export function createCheckedFiles(nativeBinding: string | undefined) {
  const remembered = new Map<string, { key: string; result: CheckedFile }>();
  return {
    async describe(file: string, stat: Stats): Promise<CheckedFile> {
      const key = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      const known = remembered.get(file);
      if (known?.key === key) return known.result;
      let result: CheckedFile;
      try {
        result = { meta: await checkSnapshot(file, { nativeBinding, quickCheck: false }), problem: null };
      } catch (error) {
        result = { meta: null, problem: errorMessage(error) };
      }
      remembered.delete(file);
      remembered.set(file, { key, result });
      if (remembered.size > MAX_REMEMBERED) {
        const oldest = remembered.keys().next().value;
        if (oldest !== undefined) remembered.delete(oldest);
      }
      return result;
    },
  };
}
