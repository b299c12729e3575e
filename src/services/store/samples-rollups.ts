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
// At 10,000 servers a close is some 30,000 series, 60,000 upserts: a quarter of a second in one
// transaction. So a close can go in slices of series, in id order, each its own transaction
// (`closeUpTo` with a budget; the sample writer drives them between its slices). While one is
// under way the mark is per series: series up to `closing_through` are rolled up below
// `closing_to`, the rest below `closed_before` (migration 021; `markOf`). A raw row is in the
// rollups exactly when it lies below its series' mark, so a chart (rollup rows, plus raw rows from
// its series' mark) reads the same points before, during and after a close, and a late sample
// for a series already closed merges into the rollups at once. Each slice commits its rows with
// the new `closing_through`: a kill between slices leaves a state the next start carries on from.
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
import { createRawHead } from './raw-head';

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
  // A database from before migration 021 (as the conversion tests and benches build them) has no
  // record of a close under way: its closes go in one piece.
  const sliced = hasCloseColumns(db);
  const readMark = db
    .prepare(
      sliced
        ? 'SELECT closed_before, closing_to, closing_through FROM probe_rollup_mark WHERE id = 1'
        : 'SELECT closed_before, NULL, 0 FROM probe_rollup_mark WHERE id = 1',
    )
    .raw();
  const writeMark = db.prepare(
    sliced
      ? 'UPDATE probe_rollup_mark SET closed_before = ?, closing_to = NULL, closing_through = 0 WHERE id = 1'
      : 'UPDATE probe_rollup_mark SET closed_before = ? WHERE id = 1',
  );
  const writeClosing = sliced ? db.prepare('UPDATE probe_rollup_mark SET closing_to = ?, closing_through = ? WHERE id = 1') : null;
  // The close reads a range of series ids per minute of the head: one contiguous stretch each.
  const raw = createRawHead(db);
  // The last series of a slice read back: the budget-th one above the slice's start.
  const nthSeriesAfter = db.prepare('SELECT id FROM probe_series WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?').pluck();

  const state = (): CloseState => {
    const row = readMark.get() as [number, number | null, number] | undefined;
    return row
      ? { closedBefore: Number(row[0]), closingTo: row[1] === null ? null : Number(row[1]), closingThrough: Number(row[2]) }
      : NO_CLOSE;
  };
  const mark = (): number => state().closedBefore;
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

  /**
   * Writes the rollups of [from, to) for series above `after`, at most `budget` of them (all when
   * the rows come from several minutes kept in memory: that path is rare). Returns how many series
   * were written and the last one, or null for `through` when none is left above it.
   */
  function closeSlice(from: number, to: number, after: number, budget: number): { written: number; through: number | null } {
    const kept = options.open?.take(from, to);
    if (kept && 'minute' in kept) {
      // One minute straight from memory: each row's histogram encoded once, for both tables.
      const hour = Math.floor(kept.bucket / HOUR) * HOUR;
      let written = 0;
      const last = kept.minute.forEachRowAfter(after, budget, (series, r, hist) => {
        upsertMinute.run(kept.bucket, series, r.count, r.lost, r.flagged, r.minMs, r.maxMs, r.sumMs, r.sumSqMs, hist);
        upsertHour.run(hour, series, r.count, r.lost, r.flagged, r.minMs, r.maxMs, r.sumMs, r.sumSqMs, hist);
        written += 1;
      });
      return { written, through: written < budget || last === null ? null : last };
    }
    if (kept) {
      write(aboveOnly(kept.minutes, after), aboveOnly(kept.hours, after));
      return { written: Number.isFinite(budget) ? budget : 0, through: null };
    }
    // Read back from the raw rows, a range of series ids at a time.
    const end = Number.isFinite(budget) ? ((nthSeriesAfter.get(after, budget - 1) as number | undefined) ?? null) : null;
    const minutes: Buckets = new Map();
    const hours: Buckets = new Map();
    for (const [series, at, rttUs, code] of raw.slice(after, end ?? Infinity, from, to)) {
      const rtt = rttUs === null ? null : rttUs / 1000;
      accumulate(minutes, series, Math.floor(at / MINUTE) * MINUTE, rtt, code);
      accumulate(hours, series, Math.floor(at / HOUR) * HOUR, rtt, code);
    }
    write(minutes, hours);
    return { written: Number.isFinite(budget) ? budget : 0, through: end };
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

    /** The watermark with the close under way, if any (markOf says what it means for a series). */
    state,

    /**
     * Rolls up every raw row from the watermark to the minute before `newestAt - grace`, then
     * moves the watermark there. Call inside a write transaction. With a `budget`, at most about
     * that many series are written (a slice of the close, series in id order) and the close under
     * way is recorded (`closing_to`, `closing_through`) for the next call to carry on; the
     * watermark moves with the last slice. Returns true while a close is under way.
     */
    closeUpTo(newestAt: number, graceMs = CLOSE_GRACE_MS, budget = Number.POSITIVE_INFINITY): boolean {
      let s = state();
      let left = writeClosing ? Math.max(1, budget) : Number.POSITIVE_INFINITY;
      for (;;) {
        let closingTo = s.closingTo;
        if (closingTo === null) {
          closingTo = Math.floor((newestAt - graceMs) / MINUTE) * MINUTE;
          if (!(closingTo > s.closedBefore)) return false;
          // In slices, one kept minute a close (several minutes from memory go in one piece).
          if (Number.isFinite(left) && options.open) closingTo = options.open.splitBefore(s.closedBefore, closingTo);
        }
        const { written, through } = closeSlice(s.closedBefore, closingTo, s.closingThrough, left);
        if (through !== null && writeClosing) {
          writeClosing.run(closingTo, through);
          return true;
        }
        writeMark.run(closingTo);
        options.open?.closed(closingTo);
        s = { closedBefore: closingTo, closingTo: null, closingThrough: 0 };
        if (!Number.isFinite(left)) continue;
        left -= written;
        // The budget is spent: say whether the next minute is due already.
        if (left <= 0) return Math.floor((newestAt - graceMs) / MINUTE) * MINUTE > s.closedBefore;
      }
    },

    /** One series' raw rows not yet rolled up, within [from, to): what a chart adds to the rollup rows. */
    openRows(series: number, from: number, to: number): [number, number | null, number | null][] {
      const start = Math.max(from, markOf(state(), series));
      if (!(to > start)) return [];
      return raw.range(series, start, to);
    },
  };
}

export type RollupWriter = ReturnType<typeof createRollupWriter>;

/** The watermark and the close under way: series up to `closingThrough` are rolled up below `closingTo`. */
export interface CloseState {
  closedBefore: number;
  closingTo: number | null;
  closingThrough: number;
}

const NO_CLOSE: CloseState = { closedBefore: 0, closingTo: null, closingThrough: 0 };

/** Where a series' rolled-up rows end: raw rows before this are in the rollups, rows from it on in neither. */
export function markOf(s: CloseState, series: number): number {
  return s.closingTo !== null && series <= s.closingThrough ? s.closingTo : s.closedBefore;
}

function hasCloseColumns(db: Db): boolean {
  return (db.prepare("SELECT count(*) FROM pragma_table_info('probe_rollup_mark') WHERE name = 'closing_to'").pluck().get() as number) > 0;
}

/** The rollups of series above `after` (all of them for -Infinity). */
function aboveOnly(buckets: Buckets, after: number): Buckets {
  if (after === Number.NEGATIVE_INFINITY || after <= 0) return buckets;
  const out: Buckets = new Map();
  for (const [bucket, inBucket] of buckets) {
    const kept = new Map([...inBucket].filter(([series]) => series > after));
    if (kept.size > 0) out.set(bucket, kept);
  }
  return out;
}

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
