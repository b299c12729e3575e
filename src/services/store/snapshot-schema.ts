// What a snapshot of each schema version may contain, entry by entry. A snapshot file comes from
// outside (a colleague, a browser upload), so before any query of ours touches it its schema is
// compared with this list: same names, same kinds, the very same SQL text. The list is not kept
// by hand: the migrations are replayed on an empty in-memory database and its schema read after
// each one, so a new migration extends it by itself and nothing hostile can hide in a view,
// trigger, virtual table, generated column or index expression we did not write.
import { openDatabase } from './database';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations/index';

/** The metadata table `sealSnapshot` adds, as stored in `sqlite_schema` (compared verbatim). */
export const SNAPSHOT_META_SQL = `CREATE TABLE snapshot_meta (
      id             INTEGER PRIMARY KEY CHECK (id = 1),
      format         INTEGER NOT NULL,
      taken_at       INTEGER NOT NULL,
      app_version    TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      note           TEXT NOT NULL,
      counts         TEXT NOT NULL CHECK (json_valid(counts)),
      saved_by       TEXT
    )`;

/** The table as snapshots saved before the saver was recorded have it: still opened, "By" unknown. */
export const SNAPSHOT_META_V1_SQL = `CREATE TABLE snapshot_meta (
      id             INTEGER PRIMARY KEY CHECK (id = 1),
      format         INTEGER NOT NULL,
      taken_at       INTEGER NOT NULL,
      app_version    TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      note           TEXT NOT NULL,
      counts         TEXT NOT NULL CHECK (json_valid(counts))
    )`;

export interface SchemaEntry {
  type: string;
  name: string;
  tbl: string;
  sql: string | null;
}

export interface ExpectedSchemas {
  /** Schema version to its entries, for every version this build can open. */
  versions: Record<number, SchemaEntry[]>;
  /** `schema_migrations` as every version has it. */
  migrationsTable: SchemaEntry;
  /** `snapshot_meta` as this build writes it, then as older builds wrote it (all accepted). */
  snapshotMetas: [SchemaEntry, ...SchemaEntry[]];
  /** Entries SQLite itself may add to any database (ANALYZE statistics); allowed, never required. */
  optional: SchemaEntry[];
}

const OPTIONAL: SchemaEntry[] = [
  { type: 'table', name: 'sqlite_stat1', tbl: 'sqlite_stat1', sql: 'CREATE TABLE sqlite_stat1(tbl,idx,stat)' },
  { type: 'table', name: 'sqlite_stat4', tbl: 'sqlite_stat4', sql: 'CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)' },
];

let cached: ExpectedSchemas | null = null;

/** Built once per process (a few milliseconds: every migration on an empty in-memory database). */
export function expectedSchemas(): ExpectedSchemas {
  if (cached !== null) return cached;
  const db = openDatabase(':memory:');
  try {
    const versions: Record<number, SchemaEntry[]> = {};
    const ordered = [...MIGRATIONS].sort((a, b) => a.version - b.version);
    for (let i = 0; i < ordered.length; i++) {
      const migration = ordered[i];
      if (migration === undefined) continue;
      migrate(db, ':memory:', () => 0, ordered.slice(0, i + 1));
      versions[migration.version] = readSchema(db);
    }
    const migrationsTable = Object.values(versions)[0]?.find((e) => e.name === 'schema_migrations');
    if (migrationsTable === undefined) throw new Error('The migrations did not create schema_migrations.');
    const metaEntry = (sql: string): SchemaEntry => {
      db.exec('DROP TABLE IF EXISTS snapshot_meta');
      db.exec(sql);
      const entry = readSchema(db).find((e) => e.name === 'snapshot_meta');
      if (entry === undefined) throw new Error('snapshot_meta could not be created.');
      return entry;
    };
    cached = {
      versions,
      migrationsTable,
      snapshotMetas: [metaEntry(SNAPSHOT_META_SQL), metaEntry(SNAPSHOT_META_V1_SQL)],
      optional: OPTIONAL,
    };
    return cached;
  } finally {
    db.close();
  }
}

/** Every entry of a trusted database's schema, in a stable order. */
function readSchema(db: ReturnType<typeof openDatabase>): SchemaEntry[] {
  return db.prepare('SELECT type, name, tbl_name AS tbl, sql FROM sqlite_schema ORDER BY name').all() as SchemaEntry[];
}
