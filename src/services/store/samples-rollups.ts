// Per-minute and per-hour rollups, written when a minute closes rather than on every flush.
//
// Each flush used to upsert the current minute and hour of every series it touched: with a
// thousand servers probed every second, three B-tree writes (one of them merging a histogram)
// for every sample stored, and rollups cost four times the raw insert. Now raw rows before a
// watermark (`closed_before`) are in both rollup tables and rows from it on are in neither. A
// flush whose newest sample is a grace period past a minute's end rolls the minutes up to there
// from the raw rows, in the same transaction, and moves the watermark. A sample that arrives
// after its minute closed is merged into the rollups at once. Charts add the open stretch from
// raw rows, so what they show is the same as before. The samples repository also adds each row's
// rollup up in memory as it writes it (open-rollups.ts), and the close takes that instead of
// reading the minute back; whenever memory may not hold every row (after a start, after another
// connection wrote) the close reads the rows, so a crash, a rolled-back batch or a second process
// cannot make the rollups drift.
//
// Rows whose hour the watermark has passed are then packed into blocks (rollup-blocks.ts), a few
// series per flush; a late sample for a packed bucket is merged into its block. On a database
// from before the blocks (schema 19 and older, as the conversion tests and benches build them)
// the writer works on rows alone, exactly as it did then.
import { encodeHistogram, mergeEncodedHistograms, pairsOf } from '../../domain/monitoring/histogram';
import type { Rollup } from '../../domain/monitoring/rollup';
import type { Db } from './database';
import { createRollupBlocks, hasBlockTable, type RollupBlocks } from './rollup-blocks';
import type { BlockRow } from './rollup-block-codec';
import { accumulate, HOUR, MINUTE, type Buckets } from './rollup-buckets';
import type { OpenRollups } from './open-rollups';

/**
 * How long after a minute ends its samples may still arrive: a lost probe is reported a deadline
 * (2 s by default) after it left, and the writer flushes once a second. Later ones still count.
 */
export const CLOSE_GRACE_MS = 15_000;

const HIST_MERGE = 'switchyard_hist_merge';

export { accumulate, HOUR, MINUTE, type Buckets };

export interface RollupWriterOptions {
  /**
   * Every raw row from the watermark on is written through `open.add` (the samples repository):
   * the close then takes the open minutes from memory instead of reading their rows back.
   */
  open?: OpenRollups;
}

export function createRollupWriter(db: Db, options: RollupWriterOptions = {}) {
  // Histograms merge in SQL through this function, so an upsert is one statement per bucket
  // with no read-modify-write round trip.
  db.function(HIST_MERGE, { deterministic: true }, (a: unknown, b: unknown) => {
    const merged = mergeEncodedHistograms(asBytes(a), asBytes(b));
    return Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength);
  });
  const upsert = (table: string) =>
    db.prepare(`INSERT INTO ${table} (bucket, series, count, lost, flagged, min_ms, max_ms, sum_ms, sumsq_ms, hist)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (series, bucket) DO UPDATE SET
        count = count + excluded.count, lost = lost + excluded.lost, flagged = flagged + excluded.flagged,
        min_ms = CASE WHEN min_ms IS NULL THEN excluded.min_ms WHEN excluded.min_ms IS NULL THEN min_ms ELSE min(min_ms, excluded.min_ms) END,
        max_ms = CASE WHEN max_ms IS NULL THEN excluded.max_ms WHEN excluded.max_ms IS NULL THEN max_ms ELSE max(max_ms, excluded.max_ms) END,
        sum_ms = sum_ms + excluded.sum_ms, sumsq_ms = sumsq_ms + excluded.sumsq_ms,
        hist = ${HIST_MERGE}(hist, excluded.hist)`);
  const upsertMinute = upsert('probe_minute');
  const upsertHour = upsert('probe_hour');
  const readMark = db.prepare('SELECT closed_before FROM probe_rollup_mark WHERE id = 1').pluck();
  const writeMark = db.prepare('UPDATE probe_rollup_mark SET closed_before = ? WHERE id = 1');
  // Walks the series and seeks each one's range: the raw key is (series, at), so this reads just
  // the rows in range, never the whole table.
  const rawRange = db
    .prepare('SELECT r.series, r.at, r.rtt_us, r.code FROM probe_series s JOIN probe_raw r ON r.series = s.id AND r.at >= ? AND r.at < ?')
    .raw();
  const rawOpen = db.prepare('SELECT at, rtt_us, code FROM probe_raw WHERE series = ? AND at >= ? AND at < ? ORDER BY at').raw();

  const mark = (): number => Number(readMark.get() ?? 0);
  const blocks: RollupBlocks | null = hasBlockTable(db) ? createRollupBlocks(db) : null;

  function write(minutes: Buckets, hours: Buckets): void {
    writeBuckets(upsertMinute, minutes);
    writeBuckets(upsertHour, hours);
  }

  /** Takes the rollups of packed buckets out of `buckets` and merges them into their blocks. */
  function mergePacked(unit: number, buckets: Buckets): void {
    if (!blocks) return;
    const bySeries = new Map<number, BlockRow[]>();
    for (const [bucket, inBucket] of buckets)
      for (const [series, r] of inBucket) {
        if (!blocks.isPacked(series, bucket)) continue;
        inBucket.delete(series);
        const list = bySeries.get(series);
        const row = blockRowOfRollup(bucket, r);
        if (list) list.push(row);
        else bySeries.set(series, [row]);
      }
    for (const [series, rows] of bySeries) blocks.mergeLate(series, unit, rows);
  }

  return {
    mark,

    /** Merges samples that came after their minute closed into both rollups: rows, or blocks where packed. */
    writeLate(minutes: Buckets, hours: Buckets): void {
      mergePacked(MINUTE, minutes);
      mergePacked(HOUR, hours);
      write(minutes, hours);
    },

    /**
     * Packs the rows of series whose hours the watermark has passed, until `budget` rows were
     * re-encoded. Call inside the flush's transaction. Returns rows re-encoded.
     */
    packSome(budget: number): number {
      return blocks ? blocks.packSome(blocks.packTarget(mark()), budget) : 0;
    },

    /**
     * Packs every series' closed rows, each series in its own transaction: what converts a
     * database of rollup rows at open. `through` packs up to that time instead of the watermark's
     * hour (a rollups-only snapshot packs everything).
     */
    packBacklog(through?: number, onSeries?: (series: number) => void): number {
      return blocks ? blocks.packBacklog(through ?? blocks.packTarget(mark()), onSeries) : 0;
    },

    /** The packed rollups of one series and unit in [from, to), in bucket order (none before the blocks). */
    packedRange(series: number, unit: number, from: number, to: number): BlockRow[] {
      return blocks ? blocks.range(series, unit, from, to) : [];
    },

    /** Deletes a series' packed rollups of one unit before `cutoff` (whole blocks). Returns rows deleted. */
    prunePacked(series: number, unit: number, cutoff: number): number {
      return blocks ? blocks.prune(series, unit, cutoff) : 0;
    },

    /**
     * Rolls up every raw row from the watermark to the minute before `newestAt - grace`, then
     * moves the watermark there. Call inside the flush's transaction.
     */
    closeUpTo(newestAt: number, graceMs = CLOSE_GRACE_MS): void {
      const from = mark();
      const to = Math.floor((newestAt - graceMs) / MINUTE) * MINUTE;
      if (!(to > from)) return;
      const kept = options.open?.take(from, to);
      if (kept && 'minute' in kept) {
        // One minute straight from memory: each row's histogram encoded once, for both tables.
        const hour = Math.floor(kept.bucket / HOUR) * HOUR;
        kept.minute.forEachRow((series, r, hist) => {
          upsertMinute.run(kept.bucket, series, r.count, r.lost, r.flagged, r.minMs, r.maxMs, r.sumMs, r.sumSqMs, hist);
          upsertHour.run(hour, series, r.count, r.lost, r.flagged, r.minMs, r.maxMs, r.sumMs, r.sumSqMs, hist);
        });
        writeMark.run(to);
        return;
      }
      if (kept) {
        write(kept.minutes, kept.hours);
        writeMark.run(to);
        return;
      }
      const minutes: Buckets = new Map();
      const hours: Buckets = new Map();
      for (const [series, at, rttUs, code] of rawRange.iterate(from, to) as Iterable<[number, number, number | null, number | null]>) {
        const rtt = rttUs === null ? null : rttUs / 1000;
        accumulate(minutes, series, Math.floor(at / MINUTE) * MINUTE, rtt, code);
        accumulate(hours, series, Math.floor(at / HOUR) * HOUR, rtt, code);
      }
      write(minutes, hours);
      writeMark.run(to);
    },

    /** One series' raw rows not yet rolled up, within [from, to): what a chart adds to the rollup rows. */
    openRows(series: number, from: number, to: number): [number, number | null, number | null][] {
      const start = Math.max(from, mark());
      if (!(to > start)) return [];
      return rawOpen.all(series, start, to) as [number, number | null, number | null][];
    },
  };
}

export type RollupWriter = ReturnType<typeof createRollupWriter>;

/** Upserts in key order, (series, bucket), so consecutive writes walk the B-tree forwards. */
function writeBuckets(statement: { run(...params: unknown[]): unknown }, rollups: Buckets): void {
  const rows: [number, number, Rollup][] = [];
  for (const [bucket, inBucket] of rollups) for (const [series, r] of inBucket) rows.push([series, bucket, r]);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [series, bucket, r] of rows) {
    statement.run(bucket, series, r.count, r.lost, r.flagged, r.minMs, r.maxMs, r.sumMs, r.sumSqMs, Buffer.from(encodeHistogram(r.hist)));
  }
}

/** A rollup accumulated in ms as a block row in whole µs (the samples were whole µs). */
function blockRowOfRollup(bucket: number, r: Rollup): BlockRow {
  return {
    bucket,
    count: r.count,
    lost: r.lost,
    flagged: r.flagged,
    minUs: r.minMs === null ? null : Math.round(r.minMs * 1000),
    maxUs: r.maxMs === null ? null : Math.round(r.maxMs * 1000),
    sumUs: Math.round(r.sumMs * 1000),
    sumSqUs2: r.sumSqMs * 1e6,
    hist: pairsOf(r.hist),
  };
}

function asBytes(value: unknown): Uint8Array | null {
  return value instanceof Uint8Array ? value : null;
}
