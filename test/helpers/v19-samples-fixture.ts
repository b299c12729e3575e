// A database as schema 19 (before packed rollups) leaves it: migrations 001–019 only, raw samples
// packed into 15-minute chunks, minute and hour rollups one row each, written by the same
// repository code that schema used (its rollup writer and chunk store work on rows alone on a file
// without the blocks' table). Also reads a chart from it the way that schema did, so a test can
// compare what a user saw before the conversion with what they see after.
import type { ProbeKind, Sample } from '../../src/domain/monitoring/sample';
import { openDatabase } from '../../src/services/store/database';
import type { RetentionPolicy } from '../../src/services/store/retention';
import { KIND_CODE } from '../../src/services/store/sample-kinds';
import { createChunkStore } from '../../src/services/store/samples-chunks';
import { createRollupWriter } from '../../src/services/store/samples-rollups';
import { createSeriesReader, type SeriesResult } from '../../src/services/store/samples-series';
import { openAtSchema, writeByMinute } from './old-schema';

/** Writes `batches` into a fresh file at schema 19; returns how many samples it holds. */
export function writeV19Database(file: string, batches: Iterable<Sample[]>): number {
  const db = openAtSchema(file, 19);
  try {
    const rollups = createRollupWriter(db);
    const chunks = createChunkStore(db);
    const series = db.prepare("INSERT INTO probe_series (server_id, kind, source) VALUES (?, ?, 'local') ON CONFLICT DO NOTHING");
    const idOf = db.prepare("SELECT id FROM probe_series WHERE server_id = ? AND kind = ? AND source = 'local'").pluck();
    const insert = db.prepare('INSERT INTO probe_raw (series, at, rtt_us, code) VALUES (?, ?, ?, ?)');
    let stored = 0;
    const write = db.transaction((batch: Sample[]) => {
      let newest = 0;
      for (const s of batch) {
        series.run(s.serverId, KIND_CODE[s.kind]);
        const id = idOf.get(s.serverId, KIND_CODE[s.kind]) as number;
        insert.run(id, s.at, s.rttMs === null ? null : Math.round(s.rttMs * 1000), s.code ?? null);
        newest = Math.max(newest, s.at);
        stored += 1;
      }
      rollups.closeUpTo(newest);
      chunks.sealSome(chunks.sealTarget(rollups.mark()), 2 * batch.length + 1_000);
    });
    writeByMinute(batches, write);
    chunks.sealBacklog(chunks.sealTarget(rollups.mark()));
    return stored;
  } finally {
    db.close();
  }
}

/** A chart as schema 19 read it: raw from chunks and rows, rollup rows plus the open stretch. */
export function v19Chart(
  file: string,
  serverId: string,
  kinds: readonly ProbeKind[],
  from: number,
  to: number,
  retention: RetentionPolicy,
  now: number,
): SeriesResult {
  const db = openDatabase(file, { readonly: true });
  try {
    const idOf = db.prepare("SELECT id FROM probe_series WHERE server_id = ? AND kind = ? AND source = 'local'").pluck();
    const chunks = createChunkStore(db);
    const rollups = createRollupWriter(db);
    const read = createSeriesReader(db, chunks.range);
    return read(
      { serverId, kinds, from, to, maxPoints: 2_000 },
      { seriesOf: (kind) => idOf.get(serverId, KIND_CODE[kind]) as number | undefined, openRows: rollups.openRows },
      retention,
      now,
    );
  } finally {
    db.close();
  }
}
