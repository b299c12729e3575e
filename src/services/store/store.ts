import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from './database';
import { createClustersRepo, createZonesRepo } from './groups-repo';
import { migrate, type MigrateResult } from './migrate';
import { createRtpRepo } from './rtp-repo';
import { createSamplesRepo, type RetentionPolicy } from './samples-repo';
import { createServersRepo } from './servers-repo';
import { createSettingsRepo } from './settings-repo';
import { createToolRunsRepo } from './tool-runs-repo';

export interface StoreOptions {
  file: string;
  nativeBinding?: string;
  now?: () => number;
  /** How long raw samples and rollups are kept (defaults: raw 48 h, minutes 14 d, hours a year). */
  retention?: Partial<RetentionPolicy>;
}

/**
 * The one door to SQLite. Other services call these repositories, named for what they do, and
 * never write SQL themselves (so the store can move to PostgreSQL later without touching them).
 */
export function openStore(options: StoreOptions) {
  if (options.file !== ':memory:') mkdirSync(path.dirname(options.file), { recursive: true });
  const db = openDatabase(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  let migration: MigrateResult;
  try {
    migration = migrate(db, options.file, options.now ?? Date.now);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    file: options.file,
    migration,
    zones: createZonesRepo(db),
    clusters: createClustersRepo(db),
    servers: createServersRepo(db),
    rtp: createRtpRepo(db),
    settings: createSettingsRepo(db),
    // After migrate: the samples repository switches the file to incremental vacuum once.
    samples: createSamplesRepo(db, { now: options.now ?? Date.now, ...(options.retention ? { retention: options.retention } : {}) }),
    toolRuns: createToolRunsRepo(db),
    /** Runs `fn` atomically: everything it wrote, or nothing. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    /** For integrity checks and tests; services use the repositories. */
    get db(): Db {
      return db;
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Store = ReturnType<typeof openStore>;
