// Run as a separate process by the crash-safety test: ingests batches of samples through the
// samples repository as fast as it can and reports each committed batch on stdout, until killed.
import { writeSync } from 'node:fs';
import type { Sample } from '../../src/domain/monitoring/sample';
import { openDatabase } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { createSamplesRepo } from '../../src/services/store/samples-repo';

const file = process.argv[2];
const BASE = Number(process.argv[3]);
if (!file || !Number.isFinite(BASE)) throw new Error('usage: ingest-child DB BASE-TIME');
// Opened as openStore opens it (same pragmas, same migrations), without the inventory
// repositories, so the child starts fast enough to be killed 200 times in a test.
const db = openDatabase(file);
migrate(db, file, Date.now);
const repo = createSamplesRepo(db);
// Samples 1 ms apart: a run stays inside the first 15-minute window, so what the kills meet is
// the flush of raw rows and rollups. (At 100 ms apart they also met packing into chunks; every
// committed sample survived, but a first flush that packs a 9,000-sample window took long enough
// that the test's "runs that committed" count fell below its bar on a loaded machine. Killing
// the packing itself is tested in sample-chunks-migration.test.ts.)
const SPACING_MS = 1;
// Carry on from what the last run committed, so the sequence has no holes.
let seq = ((repo.recent('crash', 'sip-udp', 1)[0]?.at ?? BASE) - BASE) / SPACING_MS;
writeSync(1, 'ready\n');
for (;;) {
  const batch: Sample[] = [];
  const size = 1 + (seq % 97);
  for (let i = 0; i < size; i += 1) {
    seq += 1;
    batch.push({
      serverId: 'crash',
      kind: 'sip-udp',
      at: BASE + seq * SPACING_MS,
      rttMs: seq % 13 === 0 ? null : (seq % 400) / 10,
      code: 200,
    });
  }
  repo.insertBatch(batch);
  // Written synchronously after the commit returned: the parent only hears of committed batches.
  writeSync(1, `committed ${seq}\n`);
  if (seq % 20 === 0) repo.prune(BASE + seq * SPACING_MS);
}
