// Closed minute and hour rollups: packed per series into one block per day of minutes or thirty
// days of hours (rollup-block-codec.ts), one row each in probe_rollup_block.
//
// Rollups are written as rows in probe_minute and probe_hour while their hour is open, exactly
// as before (samples-rollups.ts): the flush's transaction upserts them, so a kill -9 loses no
// committed sample and writes stay cheap. Once the rollup watermark has passed an hour, a series'
// rows before it are "packed": merged into their blocks and deleted from the row tables, and the
// series' rollups_packed_before moves there. Every flush packs a few series, bounded by a budget of
// rows re-encoded, so an hour's packing is spread over the next flushes. A database converted from
// the row format (migration 020) is packed series by series at open, each series in its own
// transaction: bounded memory, and a kill leaves every series packed or not (packBacklog).
//
// Min, max and the mean are packed to the shown precision (block format 2, rtt-precision.ts),
// except by the conversion at open (packBacklog), which writes whole µs (format 1): upgrading a
// database rounds none of the rollups it held. The hourly packing re-packs the open blocks (the
// day of minutes, the month of hours) in format 2, rounding their rows then; closed blocks keep
// the format they were written in.
//
// Reads never rely on where a row is: a range is the blocks' rows and the row tables' rows, and
// rows of the same bucket in both are added together (a chart step merges them anyway). Decoded
// blocks are kept for the next read while their stored bytes stay the same (rollup-block-cache.ts).
import { decodeHistogramPairs } from '../../domain/monitoring/histogram';
import type Database from 'better-sqlite3';
import { RollupBlockCache } from './rollup-block-cache';
import { encodeRollupBlock, ROLLUP_BLOCK_FORMAT, type BlockRow } from './rollup-block-codec';
import { columnsIndexOf, decodeRollupBlock, rowsOfColumns, type BlockColumns } from './rollup-block-decode';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * A block's span for each unit: a day of minutes (1,440 rows), thirty days of hours (720 rows).
 * A full block is 5 to 10 KB, which SQLite keeps as a leaf cell plus overflow pages filled to the
 * byte; blocks of 2 to 3 KB (six hours, ten days) left a third of each page empty, as only one
 * fits a 4 KB page. Re-packing the open block each hour costs about 4 ms a series, and retention,
 * which drops whole blocks, keeps half a block past its limit on average (about 4 %).
 */
export const BLOCK_SPAN: Readonly<Record<number, number>> = { [MINUTE]: DAY, [HOUR]: 30 * DAY };
const UNITS = [MINUTE, HOUR] as const;
const TABLE: Readonly<Record<number, string>> = { [MINUTE]: 'probe_minute', [HOUR]: 'probe_hour' };

/** A row as probe_minute and probe_hour hold it. */
export type TableRow = [
  bucket: number,
  count: number,
  lost: number,
  flagged: number,
  minMs: number | null,
  maxMs: number | null,
  sumMs: number,
  sumSqMs: number,
  hist: Uint8Array | null,
];

/**
 * A packed row as a chart reads it (samples-series.ts): round trips in ms like the row tables,
 * the histogram as pairs, no sum of squares.
 */
export type ChartRow = [
  bucket: number,
  count: number,
  lost: number,
  flagged: number,
  minMs: number | null,
  maxMs: number | null,
  sumMs: number,
  hist: [number, number][],
];

const spanOf = (unit: number): number => BLOCK_SPAN[unit] ?? DAY;
const blockOf = (unit: number, bucket: number) => Math.floor(bucket / spanOf(unit)) * spanOf(unit);
const us = (ms: number | null): number | null => (ms === null ? null : Math.round(ms * 1000));

/**
 * A row-table row in block units: round trips to whole µs (they were whole µs before they were ms).
 * Counts are held to what a rollup can be (lost and flagged within the probes, a min and max when
 * any answered), so a row edited by hand cannot stop a database from opening by failing its block.
 */
export function blockRowOf(row: TableRow): BlockRow {
  const [bucket, rawCount, rawLost, rawFlagged, minMs, maxMs, sumMs, sumSqMs, hist] = row;
  const whole = (v: number) => (Number.isFinite(v) ? Math.max(0, Math.round(v)) : 0);
  const count = whole(rawCount);
  const lost = Math.min(count, whole(rawLost));
  const flagged = Math.min(count - lost, whole(rawFlagged));
  const answered = count - lost > 0;
  const minUs = answered ? whole(us(minMs) ?? 0) : null;
  const maxUs = answered ? Math.max(minUs ?? 0, whole(us(maxMs) ?? 0)) : null;
  return {
    bucket,
    count,
    lost,
    flagged,
    minUs,
    maxUs,
    sumUs: answered ? whole(sumMs * 1000) : 0,
    sumSqUs2: answered && Number.isFinite(sumSqMs) ? sumSqMs * 1e6 : 0,
    hist: decodeHistogramPairs(hist),
  };
}

/** Two rows of the same bucket as one. */
export function mergeBlockRows(a: BlockRow, b: BlockRow): BlockRow {
  const hist = new Map<number, number>(a.hist);
  for (const [i, c] of b.hist) hist.set(i, (hist.get(i) ?? 0) + c);
  const pick = (x: number | null, y: number | null, f: (p: number, q: number) => number) => (x === null ? y : y === null ? x : f(x, y));
  return {
    bucket: a.bucket,
    count: a.count + b.count,
    lost: a.lost + b.lost,
    flagged: a.flagged + b.flagged,
    minUs: pick(a.minUs, b.minUs, Math.min),
    maxUs: pick(a.maxUs, b.maxUs, Math.max),
    sumUs: a.sumUs + b.sumUs,
    sumSqUs2: a.sumSqUs2 + b.sumSqUs2,
    hist: [...hist].sort((x, y) => x[0] - y[0]),
  };
}

/** Bucket-ordered lists merged, rows of one bucket added together. */
function mergeLists(a: BlockRow[], b: BlockRow[]): BlockRow[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const byBucket = new Map<number, BlockRow>();
  for (const row of a.concat(b)) {
    const held = byBucket.get(row.bucket);
    byBucket.set(row.bucket, held ? mergeBlockRows(held, row) : row);
  }
  return [...byBucket.values()].sort((x, y) => x.bucket - y.bucket);
}

/** Whether the file has the blocks (schema 20 on); older files, as tests and benches build them, do not. */
export function hasBlockTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'probe_rollup_block'").get() !== undefined;
}

export interface RollupBlocksOptions {
  /** Bytes of decoded blocks kept for reads (rollup-block-cache.ts); 0 keeps none. */
  cacheBytes?: number;
}

export function createRollupBlocks(db: Database.Database, options: RollupBlocksOptions = {}) {
  const blocksIn = db
    .prepare('SELECT start, data FROM probe_rollup_block WHERE series = ? AND unit = ? AND start > ? AND start < ? ORDER BY start')
    .raw();
  const blockAt = db.prepare('SELECT data FROM probe_rollup_block WHERE series = ? AND unit = ? AND start = ?').pluck();
  const putBlock = db.prepare(
    'INSERT INTO probe_rollup_block (series, unit, start, n, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (series, unit, start) DO UPDATE SET n = excluded.n, data = excluded.data',
  );
  const dropBlock = db.prepare('DELETE FROM probe_rollup_block WHERE series = ? AND unit = ? AND start = ?');
  const dropOld = db.prepare('DELETE FROM probe_rollup_block WHERE series = ? AND unit = ? AND start + ? <= ? RETURNING start, n').raw();
  const forgetAll = db.prepare('DELETE FROM probe_rollup_block WHERE series = ?');
  const rowsBefore = Object.fromEntries(
    UNITS.map((unit) => [
      unit,
      db
        .prepare(
          `SELECT bucket, count, lost, flagged, min_ms, max_ms, sum_ms, sumsq_ms, hist FROM ${TABLE[unit]} WHERE series = ? AND bucket < ? ORDER BY bucket`,
        )
        .raw(),
    ]),
  );
  const dropRowsBefore = Object.fromEntries(
    UNITS.map((unit) => [unit, db.prepare(`DELETE FROM ${TABLE[unit]} WHERE series = ? AND bucket < ?`)]),
  );
  const packedOf = db.prepare('SELECT rollups_packed_before FROM probe_series WHERE id = ?').pluck();
  const unpacked = db
    .prepare('SELECT id FROM probe_series WHERE rollups_packed_before < ? ORDER BY rollups_packed_before, id LIMIT ?')
    .pluck();
  const markPacked = db.prepare('UPDATE probe_series SET rollups_packed_before = ? WHERE id = ?');

  const read = (unit: number, start: number, data: Uint8Array) => decodeRollupBlock(start, unit, data);
  const cache = new RollupBlockCache(options.cacheBytes);

  /** The decoded blocks of a series and unit that may hold buckets in [from, to), in order. */
  function blocksOf(series: number, unit: number, from: number, to: number): BlockColumns[] {
    return (blocksIn.all(series, unit, from - spanOf(unit), to) as [number, Uint8Array][]).map(([start, data]) =>
      cache.columns(series, unit, start, data),
    );
  }

  /** Writes one block's rows, replacing it; an empty block loses its row. Returns rows encoded. */
  function writeBlock(series: number, unit: number, start: number, rows: BlockRow[], format: 1 | 2): number {
    cache.drop(series, unit, start);
    if (rows.length === 0) dropBlock.run(series, unit, start);
    else putBlock.run(series, unit, start, rows.length, Buffer.from(encodeRollupBlock(start, unit, rows, { format })));
    return rows.length;
  }

  /** Merges rows into their blocks, each block unpacked and packed once. Returns rows encoded. */
  function mergeIntoBlocks(series: number, unit: number, rows: readonly BlockRow[], format: 1 | 2 = ROLLUP_BLOCK_FORMAT): number {
    const byBlock = new Map<number, BlockRow[]>();
    for (const row of rows) {
      const start = blockOf(unit, row.bucket);
      const list = byBlock.get(start);
      if (list) list.push(row);
      else byBlock.set(start, [row]);
    }
    let encoded = 0;
    for (const [start, fresh] of byBlock) {
      const existing = blockAt.get(series, unit, start) as Uint8Array | undefined;
      const sorted = fresh.sort((a, b) => a.bucket - b.bucket);
      encoded += writeBlock(
        series,
        unit,
        start,
        existing ? mergeLists(read(unit, start, existing), sorted) : mergeLists([], sorted),
        format,
      );
    }
    return encoded;
  }

  /** Packs a series' rows before `before` into blocks and moves its mark. Returns rows encoded. */
  function packSeries(series: number, before: number, format: 1 | 2 = ROLLUP_BLOCK_FORMAT): number {
    let encoded = 0;
    for (const unit of UNITS) {
      const rows = (rowsBefore[unit]?.all(series, before) ?? []) as TableRow[];
      if (rows.length === 0) continue;
      encoded += mergeIntoBlocks(series, unit, rows.map(blockRowOf), format);
      dropRowsBefore[unit]?.run(series, before);
    }
    markPacked.run(before, series);
    return encoded;
  }

  return {
    /** How far rollups may be packed, given the rollup watermark: up to the start of its hour. */
    packTarget: (closedBefore: number): number => Math.floor(closedBefore / HOUR) * HOUR,

    /** Packs series behind `target`, oldest mark first, until `budget` rows were re-encoded. Call inside a transaction. */
    packSome(target: number, budget: number): number {
      let encoded = 0;
      for (const series of unpacked.all(target, 64) as number[]) {
        encoded += packSeries(series, target);
        if (encoded >= budget) break;
      }
      return encoded;
    },

    /**
     * Packs every series up to `target`, each in its own transaction: what converts a database at
     * open. Written in whole µs (format 1), so a conversion rounds nothing the database held.
     */
    packBacklog(target: number, onSeries?: (series: number) => void): number {
      let encoded = 0;
      for (;;) {
        const id = (unpacked.all(target, 1) as number[])[0];
        if (id === undefined) return encoded;
        encoded += db.transaction(() => {
          const n = packSeries(id, target, 1);
          // Inside the transaction, before it commits: the conversion test kills the process here.
          onSeries?.(id);
          return n;
        })();
      }
    },

    /** Where a series' bucket belongs: in a block (already packed) or in the row table. */
    isPacked: (series: number, bucket: number): boolean => bucket < Number(packedOf.get(series) ?? 0),

    /** Adds late rows (samples that came after their bucket was packed) into the blocks. */
    mergeLate: (series: number, unit: number, rows: readonly BlockRow[]): number => mergeIntoBlocks(series, unit, rows),

    /**
     * A series' packed rows of one unit with buckets in [from, to), in bucket order, as fresh
     * objects the caller owns. Blocks come decoded from the cache while their bytes are unchanged
     * (rollup-block-cache.ts); only the rows in range are made into objects.
     */
    range(series: number, unit: number, from: number, to: number): BlockRow[] {
      const out: BlockRow[] = [];
      for (const columns of blocksOf(series, unit, from, to))
        for (const row of rowsOfColumns(columns, columnsIndexOf(columns, from), columnsIndexOf(columns, to))) out.push(row);
      return out;
    },

    /**
     * The same rows as the chart reads them, made straight from the decoded columns: a chart's
     * rows are its largest allocation, and a row object on the way doubled it.
     */
    chartRange(series: number, unit: number, from: number, to: number): ChartRow[] {
      const out: ChartRow[] = [];
      for (const columns of blocksOf(series, unit, from, to)) {
        const end = columnsIndexOf(columns, to);
        for (let i = columnsIndexOf(columns, from); i < end; i += 1) out.push(chartRowOf(columns, i));
      }
      return out;
    },

    /**
     * Deletes a series' blocks of one unit that end at or before `cutoff`. A block the cutoff
     * falls inside is kept whole until it has passed: re-packing it at every hourly prune would
     * cost every series a block's encoding each hour, for rows no chart of that range reads.
     * Returns rows deleted.
     */
    prune(series: number, unit: number, cutoff: number): number {
      let dropped = 0;
      for (const [start, n] of dropOld.all(series, unit, spanOf(unit), cutoff) as [number, number][]) {
        cache.drop(series, unit, start);
        dropped += n;
      }
      return dropped;
    },

    forget(series: number): void {
      forgetAll.run(series);
      cache.dropSeries(series);
    },
  };
}

export type RollupBlocks = ReturnType<typeof createRollupBlocks>;

function chartRowOf(c: BlockColumns, i: number): ChartRow {
  const from = c.histAt[i] as number;
  const to = c.histAt[i + 1] as number;
  const hist = new Array<[number, number]>(to - from);
  for (let h = from; h < to; h += 1) hist[h - from] = [c.histBucket[h] as number, c.histCount[h] as number];
  const min = c.minUs[i] as number;
  const max = c.maxUs[i] as number;
  return [
    c.bucket[i] as number,
    c.count[i] as number,
    c.lost[i] as number,
    c.flagged[i] as number,
    Number.isNaN(min) ? null : min / 1000,
    Number.isNaN(max) ? null : max / 1000,
    (c.sumUs[i] as number) / 1000,
    hist,
  ];
}

/**
 * Unpacks a rollup block into rows, so the rollup views (migration 020) read packed rollups like
 * the row tables. Our code reads blocks itself; this is for the views and for inspection.
 */
export function registerRollupBlockRows(db: Database.Database): void {
  db.table('probe_rollup_block_rows', {
    columns: ['bucket', 'count', 'lost', 'flagged', 'min_ms', 'max_ms', 'sum_ms', 'sumsq_ms'],
    parameters: ['start', 'unit', 'data'],
    *rows(start: unknown, unit: unknown, data: unknown) {
      if (typeof start !== 'number' || typeof unit !== 'number' || !(data instanceof Uint8Array)) return;
      for (const r of decodeRollupBlock(start, unit, data))
        yield [
          r.bucket,
          r.count,
          r.lost,
          r.flagged,
          r.minUs === null ? null : r.minUs / 1000,
          r.maxUs === null ? null : r.maxUs / 1000,
          r.sumUs / 1000,
          r.sumSqUs2 / 1e6,
        ];
    },
  });
}
