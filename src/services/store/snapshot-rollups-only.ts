// A snapshot without raw samples: only the per-minute and per-hour rollups, which are what every
// chart longer than a few hours, the smoke bands and the snapshot diff read. Raw samples are
// most of a fleet's history by count, so leaving them out makes a file that travels (a ticket
// attachment, a mail) at the cost of the short, exact-median charts of the last two days.
//
// Done on the fresh copy only, before it is sealed: whatever was not rolled up yet (the open last
// minute) is rolled up first, so no sample is lost from the rollups, then the raw tables are
// emptied, every rollup row (the open hour's too) is packed into its block, and the file compacted. The schema is untouched, so the file is checked and opened
// like any snapshot; charts of a store with no raw samples read the minute rollups instead.
import { openDatabase } from './database';
import { createRawHead } from './raw-head';
import { createRollupWriter, HOUR, MINUTE } from './samples-rollups';

export function dropRawSamples(file: string, nativeBinding?: string): void {
  const db = openDatabase(file, nativeBinding ? { nativeBinding } : {});
  try {
    const newest = createRawHead(db).newestAt();
    const rollups = createRollupWriter(db);
    db.transaction(() => {
      if (newest !== null) rollups.closeUpTo(newest + MINUTE, 0);
      db.exec('DELETE FROM probe_raw; DELETE FROM probe_chunk');
    })();
    // No sample will come: every rollup row, the open hour's too, goes into its block.
    rollups.packBacklog(Math.floor(rollups.mark() / HOUR) * HOUR + HOUR);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}
