// Run as a separate process by the rollup-block conversion test: migrates a schema-19 database
// (rollups one row each) and packs its closed rollup rows into blocks series by series, killing
// itself with SIGKILL inside the transaction of the N-th series (argv[3]; -1 never), as a power
// cut or a killed app would stop it.
import { openDatabase } from '../../src/services/store/database';
import { migrate } from '../../src/services/store/migrate';
import { createRollupWriter } from '../../src/services/store/samples-rollups';

const file = process.argv[2];
const killAt = Number(process.argv[3]);
if (!file || !Number.isInteger(killAt)) throw new Error('usage: rollup-convert-child DB KILL-AT-SERIES');
const db = openDatabase(file);
migrate(db, file, Date.now);
let done = 0;
createRollupWriter(db).packBacklog(undefined, () => {
  done += 1;
  if (done === killAt) process.kill(process.pid, 'SIGKILL');
});
db.close();
