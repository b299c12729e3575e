// How much a browser may put into the snapshots folder. Each upload is bounded in size already;
// without a bound on the folder, a client with the token could fill the host's disk one upload at
// a time. Every file in the folder counts (saved snapshots too, and unfinished uploads), because
// the disk they fill is the same; saving a snapshot from the host itself is never refused by it.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors';

export interface UploadQuota {
  /** Files the folder may hold before an upload is refused. */
  files: number;
  /** Bytes the folder may hold, the upload included. */
  bytes: number;
  /** The largest single upload. */
  fileBytes: number;
}

export const DEFAULT_UPLOAD_QUOTA: UploadQuota = {
  files: 50,
  bytes: 20 * 1024 ** 3,
  fileBytes: 2 * 1024 ** 3,
};

export interface FolderUse {
  files: number;
  bytes: number;
}

export function folderUse(folder: string): FolderUse {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return { files: 0, bytes: 0 };
  }
  let files = 0;
  let bytes = 0;
  for (const name of names) {
    const stat = statSync(path.join(folder, name), { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    files += 1;
    bytes += stat.size;
  }
  return { files, bytes };
}

/**
 * Refuses an upload of `incoming` bytes (0 when the browser did not say) that would take the
 * folder past its quota; otherwise says how many bytes this upload may still be.
 */
export function admitUpload(folder: string, quota: UploadQuota, incoming: number): { maxBytes: number } {
  const use = folderUse(folder);
  if (use.files >= quota.files) {
    throw new DomainError(
      'conflict',
      `The snapshots folder already holds ${use.files} files, the most it may hold for uploads is ${quota.files}: delete snapshots you no longer need, then upload again.`,
      { field: 'file' },
    );
  }
  const room = quota.bytes - use.bytes;
  if (incoming > room || room <= 0) {
    throw new DomainError(
      'conflict',
      `The snapshots folder holds ${size(use.bytes)} of the ${size(quota.bytes)} uploads may fill${incoming > 0 ? `, and this file is ${size(incoming)}` : ''}: delete snapshots you no longer need, then upload again.`,
      { field: 'file' },
    );
  }
  return { maxBytes: Math.min(quota.fileBytes, room) };
}

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
