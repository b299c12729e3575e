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
// Carry on from what the last run committed, so the sequence has no holes.
let seq = Number(db.prepare("SELECT coalesce(max(at), ?) FROM probe_samples WHERE server_id = 'crash'").pluck().get(BASE)) - BASE;
writeSync(1, 'ready\n');
for (;;) {
  const batch: Sample[] = [];
  const size = 1 + (seq % 97);
  for (let i = 0; i < size; i += 1) {
    seq += 1;
    batch.push({ serverId: 'crash', kind: 'sip-udp', at: BASE + seq, rttMs: seq % 13 === 0 ? null : (seq % 400) / 10, code: 200 });
  }
  repo.insertBatch(batch);
  // Written synchronously after the commit returned: the parent only hears of committed batches.
  writeSync(1, `committed ${seq}\n`);
  if (seq % 20 === 0) repo.prune(BASE + seq);
}
