// A database as schema 16 (before packed chunks) left it: migrations 001–016 only, one probe_raw
// row per sample, rollups closed minute by minute the way that schema's repository wrote them.
// Also reads a chart from it with the row-per-sample query of that schema, so a test can compare
// what a user saw before the conversion with what they see after.
import type { ProbeKind, Sample } from '../../src/domain/monitoring/sample';
import { openDatabase } from '../../src/services/store/database';
import type { RetentionPolicy } from '../../src/services/store/retention';
import { KIND_CODE } from '../../src/services/store/sample-kinds';
import { createRollupWriter } from '../../src/services/store/samples-rollups';
import { createSeriesReader, type SeriesResult } from '../../src/services/store/samples-series';
import { openAtSchema, writeByMinute } from './old-schema';

/** Writes `batches` into a fresh file at schema 16; returns how many samples it holds. */
export function writeV16Database(file: string, batches: Iterable<Sample[]>): number {
  const db = openAtSchema(file, 16);
  try {
    const rollups = createRollupWriter(db);
    const series = db.prepare('INSERT INTO probe_series (server_id, kind) VALUES (?, ?) ON CONFLICT DO NOTHING');
    const idOf = db.prepare('SELECT id FROM probe_series WHERE server_id = ? AND kind = ?').pluck();
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
    });
    writeByMinute(batches, write);
    return stored;
  } finally {
    db.close();
  }
}

/** A chart as schema 16 read it: raw rows straight from probe_raw, rollups plus the open stretch. */
export function v16Chart(
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
    const raw = db.prepare('SELECT at, rtt_us, code FROM probe_raw WHERE series = ? AND at >= ? AND at < ? ORDER BY at').raw();
    const idOf = db.prepare('SELECT id FROM probe_series WHERE server_id = ? AND kind = ?').pluck();
    const mark = Number(db.prepare('SELECT closed_before FROM probe_rollup_mark').pluck().get());
    const read = createSeriesReader(db, (series, a, b) => raw.all(series, a, b) as [number, number | null, number | null][]);
    return read(
      { serverId, kinds, from, to, maxPoints: 2_000 },
      {
        seriesOf: (kind) => idOf.get(serverId, KIND_CODE[kind]) as number | undefined,
        openRows: (series, a, b) => raw.all(series, Math.max(a, mark), b) as [number, number | null, number | null][],
      },
      retention,
      now,
    );
  } finally {
    db.close();
  }
}
