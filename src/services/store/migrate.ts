import { existsSync } from 'node:fs';
import type { Db } from './database';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index';

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `This database was written by a newer Switchyard (schema version ${found}; this build knows up to ${known}). ` +
        'Open it with a newer Switchyard. Nothing was changed.',
    );
    this.name = 'SchemaTooNewError';
  }
}

export interface MigrateResult {
  from: number;
  to: number;
  /** The copy made before migrating an existing database, if one was needed. */
  backup: string | null;
}

export function appliedVersions(db: Db): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
}

/**
 * Brings the schema to this build's version. Refuses a database that has a migration this build
 * does not know (written by a newer version). Before changing an existing database, a copy is
 * written beside it, so a failed upgrade never costs the user their fleet. Each migration runs in
 * its own transaction; a failure stops here and is thrown, never logged and skipped.
 */
export function migrate(db: Db, file: string, now: () => number, migrations: readonly Migration[] = MIGRATIONS): MigrateResult {
  const applied = appliedVersions(db);
  const known = new Set(migrations.map((m) => m.version));
  const unknown = applied.filter((v) => !known.has(v));
  const latest = migrations.length === 0 ? 0 : Math.max(...migrations.map((m) => m.version));
  if (unknown.length > 0) throw new SchemaTooNewError(Math.max(...unknown), latest);
  const from = applied.length === 0 ? 0 : Math.max(...applied);
  const pending = migrations.filter((m) => !applied.includes(m.version)).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return { from, to: from, backup: null };

  let backup: string | null = null;
  if (applied.length > 0 && file !== ':memory:') {
    backup = `${file}.before-v${pending[0]?.version ?? from + 1}.bak`;
    if (!existsSync(backup)) db.prepare('VACUUM INTO ?').run(backup);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
    })();
  }
  return { from, to: pending[pending.length - 1]?.version ?? from, backup };
}

export { LATEST_VERSION };
