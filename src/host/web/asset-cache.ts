import { readFile, stat } from 'node:fs/promises';
import { entityTag, SUFFIX, type StoredEncoding } from './content-negotiation';
import type { StaticFiles } from './static-files';

// The renderer's hashed files (`assets/index-AbC123xy.js`) held in memory once read: their names
// change with their bytes, so a name read once answers the same for the host's life. A page open
// then costs no file-system round trip per file (about fifteen each before: locate, open, stat,
// the copies' stats, read, close), which on a host busy probing a fleet waited on its event loop
// every time. Only hashed files are kept (index.html and other names are read per request, as a
// rebuild changes them), within a total budget; a file over the budget is served from disk.

/** Bytes kept at most: the whole renderer with its compressed copies is about 3 MB. */
export const ASSET_CACHE_BUDGET = 32 * 1024 * 1024;

export interface CachedCopy {
  readonly body: Buffer;
  readonly etag: string;
}

export interface CachedAsset {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly identity: CachedCopy;
  readonly stored: ReadonlyMap<StoredEncoding, CachedCopy>;
}

export interface AssetCache {
  get(path: string): CachedAsset | undefined;
  /** Reads the file and its fresh compressed copies once, keeps them if they fit, and returns them. */
  load(path: string, file: string, headers: { contentType: string; cacheControl: string }): Promise<CachedAsset>;
  readonly bytes: number;
}

export function createAssetCache(files: StaticFiles, budget = ASSET_CACHE_BUDGET): AssetCache {
  const kept = new Map<string, CachedAsset>();
  let bytes = 0;

  const copyOf = async (file: string, encoding: StoredEncoding | null): Promise<CachedCopy & { mtimeMs: number }> => {
    const [body, info] = await Promise.all([readFile(file), stat(file)]);
    return { body, etag: entityTag(body.length, info.mtimeMs, encoding), mtimeMs: info.mtimeMs };
  };

  return {
    get: (path) => kept.get(path),
    get bytes() {
      return bytes;
    },
    async load(path, file, headers) {
      const identity = await copyOf(file, null);
      const stored = new Map<StoredEncoding, CachedCopy>();
      for (const coding of ['br', 'gzip'] as const) {
        const copy = await files.sibling(file, SUFFIX[coding]);
        if (copy === null) continue;
        const read = await copyOf(copy, coding).catch(() => null);
        // A copy older than the file is of another build.
        if (read !== null && read.mtimeMs >= identity.mtimeMs) stored.set(coding, read);
      }
      const asset: CachedAsset = { ...headers, identity, stored };
      const size = identity.body.length + [...stored.values()].reduce((n, c) => n + c.body.length, 0);
      if (!kept.has(path) && bytes + size <= budget) {
        kept.set(path, asset);
        bytes += size;
      }
      return asset;
    },
  };
}
