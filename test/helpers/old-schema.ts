import type { Sample } from '../../src/domain/monitoring/sample';
import { openDatabase } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { MIGRATIONS } from '../../src/services/store/migrations/index';

// What the fixtures of an older schema (v16-samples-fixture.ts, v19-samples-fixture.ts) do alike:
// open a fresh file at that schema, and write samples in transactions a minute of flushes long.
// What each writes, and how, stays in its own fixture: that is the part pinned to its schema.

/** A fresh database file migrated up to `version` only, as a release at that schema left it. */
export function openAtSchema(file: string, version: number): ReturnType<typeof openDatabase> {
  const db = openDatabase(file);
  try {
    migrate(
      db,
      file,
      () => 0,
      MIGRATIONS.filter((m) => m.version <= version),
    );
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Hands `write` the batches (one a second, as the probes flush them) sixty at a time: the same
 * rows and rollups as one transaction a flush, with far fewer commits.
 */
export function writeByMinute(batches: Iterable<Sample[]>, write: (minute: Sample[]) => void): void {
  let minute: Sample[] = [];
  let flushes = 0;
  for (const batch of batches) {
    minute = minute.concat(batch);
    if ((flushes += 1) % 60 === 0) {
      write(minute);
      minute = [];
    }
  }
  if (minute.length > 0) write(minute);
}
