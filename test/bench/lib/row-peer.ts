// What the storage benchmarks measure the samples repository against: a fresh database file opened
// and migrated exactly as the app opens it, and a bare prepared INSERT of each sample as a row.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Sample } from '../../../src/domain/monitoring/sample';
import { openDatabase, type Db } from '../../../src/services/store/database';
import { migrate } from '../../../src/services/store/migrate';
import { KIND_CODE } from '../../../src/services/store/sample-kinds';

/** A new file `name` in `dir` (any older one and its WAL removed), opened and migrated as the app does. */
export function freshDb(dir: string, name: string): Db {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const db = openDatabase(file);
  migrate(db, file, Date.now);
  return db;
}

/** A plain row table `peer_raw` keyed (series, at), as the raw head was keyed before migration 022: the peer's table. */
export function peerTable(db: Db): string {
  db.exec(
    'CREATE TABLE peer_raw (series INTEGER NOT NULL, at INTEGER NOT NULL, rtt_us INTEGER, code INTEGER, PRIMARY KEY (series, at)) WITHOUT ROWID',
  );
  return 'peer_raw';
}

/**
 * One transaction per batch of one prepared INSERT per sample into `table` (series, at, rtt_us,
 * code). The peer knows its series ids up front (a plain Map lookup): it pays for nothing but the rows.
 */
export function rowWriter(db: Db, table: string): (batch: readonly Sample[]) => void {
  const ids = new Map<string, number>();
  const insert = db.prepare(`INSERT INTO ${table} (series, at, rtt_us, code) VALUES (?, ?, ?, ?)`);
  return db.transaction((batch: readonly Sample[]) => {
    for (const s of batch) {
      const key = `${KIND_CODE[s.kind]}:${s.serverId}`;
      let series = ids.get(key);
      if (series === undefined) ids.set(key, (series = ids.size + 1));
      insert.run(series, s.at, s.rttMs === null ? null : Math.round(s.rttMs * 1000), s.code ?? null);
    }
  });
}
