// A snapshot file on disk: a consistent page copy of the live database, then a `snapshot_meta`
// table written into the copy only. The table (not a row in `settings`) is what marks a file as
// a snapshot: the live schema never has it, so a live `switchyard.db` is never taken for one, the
// settings service never sees foreign keys, and migrating an old snapshot leaves it alone.
import { emptyAccounts } from './accounts-repo';
import { openDatabase, type Db } from './database';
import { checkSnapshotFileSync, type SnapshotProbe } from './snapshot-check';
import type { SnapshotCounts, SnapshotMetaRecord } from './snapshot-meta';
import { SNAPSHOT_META_SQL } from './snapshot-schema';

export const SNAPSHOT_FORMAT = 1;

export type { SnapshotCounts, SnapshotMetaRecord };

export interface CopyProgress {
  copiedPages: number;
  totalPages: number;
}

/** Pages copied per step: small enough to report progress and keep the event loop free. */
const PAGES_PER_STEP = 512;

/**
 * Copies `sourceFile` to `destFile` with SQLite's online backup, holding one read transaction on
 * a dedicated connection for the whole copy. In WAL mode that pins the copy to the moment the
 * transaction began: writers (the probes, another process) carry on unblocked, the backup never
 * restarts because of them, and the copy holds exactly what was committed before the save began.
 */
export async function copyDatabase(
  sourceFile: string,
  destFile: string,
  options: { nativeBinding?: string; onProgress?: (p: CopyProgress) => void } = {},
): Promise<void> {
  const source = openDatabase(sourceFile, { readonly: true, ...bindingOf(options.nativeBinding) });
  try {
    source.exec('BEGIN');
    source.prepare('SELECT count(*) FROM sqlite_master').get();
    await source.backup(destFile, {
      progress: ({ totalPages, remainingPages }) => {
        options.onProgress?.({ copiedPages: totalPages - remainingPages, totalPages });
        return PAGES_PER_STEP;
      },
    });
    source.exec('COMMIT');
  } finally {
    source.close();
  }
}

/**
 * Turns a fresh copy into a snapshot: one self-contained file (rollback journal, so no `-wal`
 * beside it and it opens read-only from anywhere), with its metadata and the fleet's counts as
 * the copy holds them.
 */
export function sealSnapshot(
  file: string,
  meta: { takenAt: number; appVersion: string; note: string; savedBy?: string | null },
  nativeBinding?: string,
): SnapshotMetaRecord {
  const db = openDatabase(file, bindingOf(nativeBinding));
  try {
    db.pragma('journal_mode = DELETE');
    // Password hashes stay in the data folder: a snapshot travels to other people and machines.
    emptyAccounts(db);
    const record: SnapshotMetaRecord = {
      format: SNAPSHOT_FORMAT,
      takenAt: meta.takenAt,
      appVersion: meta.appVersion,
      note: meta.note,
      schemaVersion: schemaVersionOf(db) ?? 0,
      counts: countFleet(db),
      savedBy: meta.savedBy ?? null,
    };
    db.exec(SNAPSHOT_META_SQL);
    db.prepare(
      'INSERT INTO snapshot_meta (id, format, taken_at, app_version, schema_version, note, counts, saved_by) VALUES (1, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      record.format,
      record.takenAt,
      record.appVersion,
      record.schemaVersion,
      record.note,
      JSON.stringify(record.counts),
      record.savedBy,
    );
    return record;
  } finally {
    db.close();
  }
}

export type { SnapshotProbe } from './snapshot-check';

/**
 * Says what a file is without changing it or trusting it: header read here, schema compared and
 * integrity checked in a worker with a deadline (see snapshot-check.ts). Blocks the caller until
 * the deadline at most; the host uses `checkSnapshotFile`, which does not.
 */
export function probeSnapshotFile(file: string, nativeBinding?: string): SnapshotProbe {
  return checkSnapshotFileSync(file, { quickCheck: true, ...bindingOf(nativeBinding) });
}

/** The highest migration applied, or null when the file has no Switchyard schema at all. */
export function schemaVersionOf(db: Db): number | null {
  if (!hasTable(db, 'schema_migrations')) return null;
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

export function readSnapshotMeta(db: Db): SnapshotMetaRecord | null {
  return readMeta(db);
}

function readMeta(db: Db): SnapshotMetaRecord | null {
  if (!hasTable(db, 'snapshot_meta')) return null;
  const row = db.prepare('SELECT * FROM snapshot_meta WHERE id = 1').get() as
    | {
        format: number;
        taken_at: number;
        app_version: string;
        schema_version: number;
        note: string;
        counts: string;
        saved_by?: string | null;
      }
    | undefined;
  if (row === undefined) return null;
  return {
    format: row.format,
    takenAt: row.taken_at,
    appVersion: row.app_version,
    schemaVersion: row.schema_version,
    note: row.note,
    counts: { ...emptyCounts(), ...(JSON.parse(row.counts) as Partial<SnapshotCounts>) },
    savedBy: typeof row.saved_by === 'string' ? row.saved_by : null,
  };
}

export interface RunBetween {
  id: string;
  kind: 'action' | 'tool';
  label: string;
  status: string;
  startedAt: number;
}

/** Action runs and tool runs started in (from, to]; tables this schema lacks count as empty. */
export function runsBetween(db: Db, from: number, to: number): RunBetween[] {
  const runs: RunBetween[] = [];
  if (hasTable(db, 'action_runs')) {
    const rows = db
      .prepare(
        'SELECT id, label, status, started_at FROM action_runs WHERE started_at > ? AND started_at <= ? ORDER BY started_at LIMIT 1000',
      )
      .all(from, to) as { id: string; label: string; status: string; started_at: number }[];
    for (const r of rows) runs.push({ id: r.id, kind: 'action', label: r.label, status: r.status, startedAt: r.started_at });
  }
  if (hasTable(db, 'tool_runs')) {
    const rows = db
      .prepare(
        'SELECT id, tool, target, status, started_at FROM tool_runs WHERE started_at > ? AND started_at <= ? ORDER BY started_at LIMIT 1000',
      )
      .all(from, to) as { id: string; tool: string; target: string; status: string; started_at: number }[];
    for (const r of rows) runs.push({ id: r.id, kind: 'tool', label: `${r.tool} ${r.target}`, status: r.status, startedAt: r.started_at });
  }
  return runs.sort((a, b) => a.startedAt - b.startedAt);
}

/** Counted in our own fresh copy only (trusted), where `probe_samples` is our view over the series. */
function countFleet(db: Db): SnapshotCounts {
  const count = (table: string): number =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(table) !== undefined
      ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
      : 0;
  return {
    servers: count('servers'),
    clusters: count('clusters'),
    zones: count('zones'),
    rtpServers: count('rtp_servers'),
    // Packed samples (migration 017) are counted from their chunks' headers, not unpacked one by one.
    samples: hasTable(db, 'probe_chunk')
      ? count('probe_raw') + Number(db.prepare('SELECT coalesce(sum(n), 0) FROM probe_chunk').pluck().get())
      : count('probe_samples'),
    toolRuns: count('tool_runs'),
    actionRuns: count('action_runs'),
  };
}

function emptyCounts(): SnapshotCounts {
  return { servers: 0, clusters: 0, zones: 0, rtpServers: 0, samples: 0, toolRuns: 0, actionRuns: 0 };
}

/**
 * Tables only: a view of the same name (which a crafted file can make recursive and endless) is
 * not the table our queries expect.
 */
function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function bindingOf(nativeBinding: string | undefined): { nativeBinding?: string } {
  return nativeBinding ? { nativeBinding } : {};
}
