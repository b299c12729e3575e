// Every statement on the raw head (probe_raw), keyed (minute, series, at) since migration 022.
//
// The key puts one minute's rows of all series together, so writes touch the newest minute's
// pages only; a series' rows are one seek per minute. The minutes are walked as they are present
// in the table (each step an index seek to the next one), never counted out one by one: a head
// with a stray row from long ago costs one step more, not one per minute in between.
import type { Db } from './database';

export const MINUTE_MS = 60_000;

/** A raw sample of one series: its time (UTC ms), round trip in µs (null: lost) and SIP code. */
export type RawRow = [at: number, rttUs: number | null, code: number | null];

/** The minute a time falls in, as the table's CHECK computes it (integer division). */
export const minuteOf = (at: number): number => Math.trunc(at / MINUTE_MS);

const byTime = (a: RawRow, b: RawRow) => a[0] - b[0];

const LOWEST = Number.MIN_SAFE_INTEGER;
const HIGHEST = Number.MAX_SAFE_INTEGER;

/** The minutes [?lo, ?hi] present in the head, as rows of `m(k)` (@lo and @hi named parameters). */
const MINUTES = `WITH RECURSIVE m(k) AS (
  SELECT (SELECT min(minute) FROM probe_raw WHERE minute >= @lo)
  UNION ALL
  SELECT (SELECT min(minute) FROM probe_raw WHERE minute > m.k) FROM m WHERE m.k < @hi
)`;

/** Bounds of the minutes that may hold rows in [from, to) (either end may be infinite). */
function minutes(from: number, to: number): { lo: number; hi: number } {
  // One minute of margin below: integer division and floor differ for times before 1970.
  const lo = Number.isFinite(from) ? Math.floor(from / MINUTE_MS) - 1 : LOWEST;
  const hi = Number.isFinite(to) ? Math.ceil(to / MINUTE_MS) : HIGHEST;
  return { lo, hi };
}

/** The statements of the head as schemas 2–21 keyed it, (series, at): files the older tests and benches build. */
function bySeries(db: Db) {
  return {
    insert: (() => {
      const insert = db.prepare('INSERT INTO probe_raw (series, at, rtt_us, code) VALUES (?, ?, ?, ?) ON CONFLICT (series, at) DO NOTHING');
      return (series: number, at: number, rttUs: number | null, code: number | null) => insert.run(series, at, rttUs, code).changes > 0;
    })(),
    range: db.prepare('SELECT at, rtt_us, code FROM probe_raw WHERE series = @series AND at >= @from AND at < @to ORDER BY at').raw(),
    newest: db.prepare('SELECT at, rtt_us, code FROM probe_raw WHERE series = @series ORDER BY at DESC LIMIT @limit').raw(),
    drop: db.prepare('DELETE FROM probe_raw WHERE series = @series AND at >= @from AND at < @to'),
    take: db.prepare('DELETE FROM probe_raw WHERE series = @series AND at >= @from AND at < @to RETURNING at, rtt_us, code').raw(),
    slice: db
      .prepare(
        `SELECT r.series, r.at, r.rtt_us, r.code FROM probe_series s JOIN probe_raw r ON r.series = s.id AND r.at >= @from AND r.at < @to
         WHERE s.id > @after AND s.id <= @through`,
      )
      .raw(),
    newestAt: db.prepare('SELECT max(at) FROM probe_raw').pluck(),
  };
}

function byMinute(db: Db) {
  return {
    insert: (() => {
      const insert = db.prepare(
        'INSERT INTO probe_raw (minute, series, at, rtt_us, code) VALUES (?, ?, ?, ?, ?) ON CONFLICT (minute, series, at) DO NOTHING',
      );
      return (series: number, at: number, rttUs: number | null, code: number | null) =>
        insert.run(minuteOf(at), series, at, rttUs, code).changes > 0;
    })(),
    range: db
      .prepare(
        `${MINUTES} SELECT r.at, r.rtt_us, r.code FROM m CROSS JOIN probe_raw r
         ON r.minute = m.k AND r.series = @series AND r.at >= @from AND r.at < @to ORDER BY r.at`,
      )
      .raw(),
    newest: db
      .prepare(
        `${MINUTES} SELECT r.at, r.rtt_us, r.code FROM m CROSS JOIN probe_raw r ON r.minute = m.k AND r.series = @series
         ORDER BY r.at DESC LIMIT @limit`,
      )
      .raw(),
    drop: db.prepare(
      `${MINUTES} DELETE FROM probe_raw WHERE minute IN (SELECT k FROM m) AND series = @series AND at >= @from AND at < @to`,
    ),
    take: db
      .prepare(
        `${MINUTES} DELETE FROM probe_raw WHERE minute IN (SELECT k FROM m) AND series = @series AND at >= @from AND at < @to
         RETURNING at, rtt_us, code`,
      )
      .raw(),
    slice: db
      .prepare(
        `${MINUTES} SELECT r.series, r.at, r.rtt_us, r.code FROM m CROSS JOIN probe_raw r
         ON r.minute = m.k AND r.series > @after AND r.series <= @through AND r.at >= @from AND r.at < @to`,
      )
      .raw(),
    newestAt: db.prepare('SELECT max(at) FROM probe_raw WHERE minute = (SELECT max(minute) FROM probe_raw)').pluck(),
  };
}

const keyedByMinute = (db: Db): boolean =>
  (db.prepare("SELECT count(*) FROM pragma_table_info('probe_raw') WHERE name = 'minute'").pluck().get() as number) > 0;

/** SQL true when the series named by `param` (as `@id`) has no raw row, for statements of other tables. */
function noRowsOf(minuteKey: boolean, param: string): string {
  if (!minuteKey) return `NOT EXISTS (SELECT 1 FROM probe_raw WHERE series = ${param})`;
  const minutes = MINUTES.replace('@lo', String(LOWEST)).replace('@hi', String(HIGHEST));
  return `NOT EXISTS (${minutes} SELECT 1 FROM m CROSS JOIN probe_raw r ON r.minute = m.k AND r.series = ${param})`;
}

export function createRawHead(db: Db) {
  const minuteKey = keyedByMinute(db);
  const { insert, range, newest, drop, take, slice, newestAt } = minuteKey ? byMinute(db) : bySeries(db);
  const bounded = (n: number) => (Number.isFinite(n) ? n : n > 0 ? HIGHEST : LOWEST);

  return {
    /** SQL true when the series `param` names has no raw row. */
    noRowsOf: (param: string): string => noRowsOf(minuteKey, param),
    /** Adds a row; false when the series already has one at that time (nothing changes). */
    insert,
    /** A series' rows in [from, to), oldest first. */
    range(series: number, from: number, to: number): RawRow[] {
      return range.all({ ...minutes(from, to), series, from: bounded(from), to: bounded(to) }) as RawRow[];
    },
    /** A series' newest `limit` rows, newest first. */
    newest(series: number, limit: number): RawRow[] {
      return newest.all({ lo: LOWEST, hi: HIGHEST, series, limit }) as RawRow[];
    },
    /** Deletes a series' rows in [from, to); returns how many went. */
    drop(series: number, from = -Infinity, to = Infinity): number {
      return drop.run({ ...minutes(from, to), series, from: bounded(from), to: bounded(to) }).changes;
    },
    /** Deletes a series' rows in [from, to) and returns them, oldest first: one pass where a read and a delete take two. */
    take(series: number, from: number, to: number): RawRow[] {
      const rows = take.all({ ...minutes(from, to), series, from: bounded(from), to: bounded(to) }) as RawRow[];
      return rows.sort(byTime);
    },
    /** The rows in [from, to) of series in (after, through], in no particular order. */
    slice(after: number, through: number, from: number, to: number): Iterable<[number, number, number | null, number | null]> {
      return slice.iterate({ ...minutes(from, to), after, through: bounded(through), from: bounded(from), to: bounded(to) }) as Iterable<
        [number, number, number | null, number | null]
      >;
    },
    /** The newest time of any row, or null when the head is empty. */
    newestAt(): number | null {
      const at = newestAt.get() as number | null;
      return at === null ? null : Number(at);
    },
  };
}

export type RawHead = ReturnType<typeof createRawHead>;
