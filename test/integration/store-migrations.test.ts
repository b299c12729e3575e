import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/services/store/database';
import { migrate, SchemaTooNewError } from '../../src/services/store/migrate';
import { LATEST_VERSION, MIGRATIONS } from '../../src/services/store/migrations/index';
import { openStore } from '../../src/services/store/store';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('store migrations', () => {
  it('replays every migration on a fresh file, consecutively numbered, with the pragmas set', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
    const file = path.join(tempDir(), 'fresh.db');
    const store = openStore({ file });
    const versions = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['zones', 'clusters', 'servers', 'rtp_servers', 'settings']));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.migration).toEqual({ from: 0, to: LATEST_VERSION, backup: null });
    store.close();
  });

  it('keeps data across close and reopen, and does not migrate twice', () => {
    const file = path.join(tempDir(), 'keep.db');
    const first = openStore({ file });
    first.zones.insert({ id: 'z1', name: 'US-East', description: 'Ashburn', createdAt: 1 });
    first.close();
    const second = openStore({ file });
    expect(second.zones.list()).toEqual([{ id: 'z1', name: 'US-East', description: 'Ashburn', createdAt: 1 }]);
    expect(second.migration.from).toBe(second.migration.to);
    second.close();
  });

  it('refuses a database that holds a migration this build does not know, and leaves it untouched', () => {
    const file = path.join(tempDir(), 'future.db');
    openStore({ file }).close();
    const raw = new Database(file);
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_VERSION + 5, 'from-the-future', 0);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = hash(file);
    expect(() => openStore({ file })).toThrow(SchemaTooNewError);
    expect(() => openStore({ file })).toThrow(new RegExp(`newer Switchyard \\(schema version ${LATEST_VERSION + 5};`));
    expect(hash(file)).toBe(before);
  });

  it('copies an existing database before migrating it', () => {
    const file = path.join(tempDir(), 'upgrade.db');
    const db = openDatabase(file);
    const v1 = [{ version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' }];
    migrate(db, file, () => 1, v1);
    db.prepare('INSERT INTO a VALUES (42)').run();
    const result = migrate(db, file, () => 2, [...v1, { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y TEXT;' }]);
    db.close();
    expect(result).toMatchObject({ from: 1, to: 2 });
    expect(result.backup).not.toBeNull();
    expect(existsSync(result.backup as string)).toBe(true);
    const copy = new Database(result.backup as string, { readonly: true });
    expect(copy.prepare('SELECT x FROM a').pluck().all()).toEqual([42]);
    expect(copy.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(1);
    copy.close();
  });

  it('stops at a failing migration, rolls it back and throws (never logs and carries on)', () => {
    const file = path.join(tempDir(), 'broken.db');
    const db = openDatabase(file);
    const good = { version: 1, name: 'good', sql: 'CREATE TABLE ok (x INTEGER);' };
    const bad = { version: 2, name: 'bad', sql: 'CREATE TABLE half (x INTEGER); THIS IS NOT SQL;' };
    expect(() => migrate(db, file, () => 1, [good, bad])).toThrow();
    const versions = db.prepare('SELECT version FROM schema_migrations').pluck().all();
    expect(versions).toEqual([1]);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all();
    expect(tables).toEqual([]);
    db.close();
  });
});
