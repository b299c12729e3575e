// Who saved a snapshot: recorded in the file at save time, read back through the checked path (the
// worker that looks inside untrusted files) and the direct one; files saved before the saver was
// recorded still open, saying nobody; a third shape of the table is still refused.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSnapshot, readSnapshotMeta } from '../../src/services/snapshots/open-snapshot';
import { saveSnapshot } from '../../src/services/snapshots/save-snapshot';
import { openDatabase } from '../../src/services/store/database';
import { SNAPSHOT_META_V1_SQL } from '../../src/services/store/snapshot-schema';
import { openStore } from '../../src/services/store/store';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const BASE = Date.UTC(2026, 0, 1);

async function saved(savedBy: string | null): Promise<string> {
  const dir = tempDir();
  const live = path.join(dir, 'switchyard.db');
  openStore({ file: live }).close();
  const dest = path.join(dir, 'a.snapshot');
  await saveSnapshot({ source: live, dest, note: 'n', appVersion: '9.9.9-test', takenAt: BASE, savedBy });
  return dest;
}

/** Rewrites the file's metadata table with other SQL, keeping its row (and its rollback journal). */
function rewriteMeta(file: string, createSql: string): void {
  // Opened as Switchyard opens files: the RENAME re-checks every view, and probe_samples reads
  // packed samples through a function each of our connections registers (migration 017).
  const db = openDatabase(file);
  db.exec(`ALTER TABLE snapshot_meta RENAME TO old_meta; ${createSql};
    INSERT INTO snapshot_meta (id, format, taken_at, app_version, schema_version, note, counts) SELECT id, format, taken_at, app_version, schema_version, note, counts FROM old_meta;
    DROP TABLE old_meta;`);
  db.pragma('journal_mode = DELETE');
  db.close();
}

describe('who saved a snapshot', () => {
  it('records the saver and reads it back through the checked and the direct path', async () => {
    const file = await saved('noc-operator');
    expect((await checkSnapshot(file, { quickCheck: true })).savedBy).toBe('noc-operator');
    expect(readSnapshotMeta(file).savedBy).toBe('noc-operator');
  });

  it('opens a snapshot saved before the saver was recorded, saying nobody', async () => {
    const file = await saved('ignored');
    rewriteMeta(file, SNAPSHOT_META_V1_SQL);
    const meta = await checkSnapshot(file, { quickCheck: true });
    expect(meta.savedBy).toBeNull();
    expect(meta.appVersion).toBe('9.9.9-test');
    expect(readSnapshotMeta(file).savedBy).toBeNull();
  });

  it('refuses a metadata table of any other shape, naming it', async () => {
    const file = await saved('x');
    rewriteMeta(
      file,
      SNAPSHOT_META_V1_SQL.replace('counts         TEXT NOT NULL CHECK (json_valid(counts))', 'counts TEXT, saved_by BLOB'),
    );
    await expect(checkSnapshot(file, { quickCheck: true })).rejects.toThrow(/snapshot_meta is not one Switchyard writes/);
  });
});
