// The minute rollups of the open stretch (raw rows from the watermark on), added up as the samples
// repository writes the rows, so that closing a minute does not read its rows back. At 10,000
// servers a minute is about half a million raw rows: reading them back and rolling them up again
// held the event loop for a second or two once a minute.
//
// What is kept here must equal what reading the rows back would give, or the close reads them
// back as before. It is trusted only for minutes that began after the newest raw row present when
// it started (rows written before, by an earlier run or by anyone else, are not in it), and only
// while this connection is the only writer: SQLite's `data_version` changes when another
// connection commits, and then everything kept is dropped and trust starts again after the newest
// row; so does a watermark this tracker did not move (the tables rewritten on this connection).
// Rows of a transaction are staged and kept only when it commits; a rolled-back batch leaves
// no trace. Nothing here is needed after a crash: the rows are on disk and the close reads them.
// The kept minutes are flat arrays (open-minute.ts), reused from one minute to the next.
import { addSample, emptyRollup, mergeInto, type Rollup } from '../../domain/monitoring/rollup';
import type { Db } from './database';
import { OpenMinute } from './open-minute';
import { createRawHead } from './raw-head';
import { HOUR, MINUTE, type Buckets } from './rollup-buckets';

/** One closing minute as kept, to be written row by row (OpenMinute.forEachRow); not to be changed. */
export interface ClosingMinute {
  bucket: number;
  minute: OpenMinute;
}

/** A minute no row was kept for. */
const EMPTY_MINUTE = new OpenMinute();

/** Closed minutes kept for reuse: a minute closes about when the next but one opens. */
const SPARE_MINUTES = 2;

export class OpenRollups {
  readonly #db: Db;
  readonly #newestRaw: () => number | null;
  /** Minutes from here on hold only rows this tracker saw. */
  #trustFrom = Number.POSITIVE_INFINITY;
  #dataVersion = -1;
  readonly #readMark: () => number;
  /** The watermark as this tracker last left it: anything else means the rows were touched around it. */
  #markSeen = -1;
  #kept = new Map<number, OpenMinute>();
  readonly #spare: OpenMinute[] = [];
  /** This transaction's rows, four numbers each (series, at, rtt µs or NaN, code or NaN): cheap to drop. */
  #staged: number[] = [];
  #closingBefore: number | null = null;

  constructor(db: Db) {
    this.#db = db;
    const raw = createRawHead(db);
    const mark = db.prepare('SELECT closed_before FROM probe_rollup_mark WHERE id = 1').pluck();
    this.#readMark = () => Number(mark.get() ?? 0);
    this.#newestRaw = () => raw.newestAt();
    this.#restart();
  }

  /** Call at the start of each write transaction: a commit by another connection drops what is kept. */
  begin(): void {
    this.#staged = [];
    this.#closingBefore = null;
    if (this.#version() !== this.#dataVersion || this.#readMark() !== this.#markSeen) this.#restart();
  }

  /** A raw row just inserted at or after the watermark (never a late one: those merge at once). */
  add(series: number, at: number, rttUs: number | null, code: number | null): void {
    if (at < this.#trustFrom) return;
    this.#staged.push(series, at, rttUs ?? Number.NaN, code ?? Number.NaN);
  }

  /**
   * The minute and hour rollups of every row in [from, to), or null when some of those rows may
   * not have been seen (the caller reads them back). A close written in slices takes the same
   * minute once per slice; the minutes are let go when the transaction holding the last slice
   * commits (`closed`). The rollups handed out are the caller's.
   */
  take(from: number, to: number): { minutes: Buckets; hours: Buckets } | ClosingMinute | null {
    if (from < this.#trustFrom) return null;
    // The usual close: at most one minute with rows (what is kept is every row from `from` on),
    // none of this transaction's rows in it. The caller writes the kept minute as it is (a
    // minute's rollup is also its part of the hour).
    if (!this.#stagedIn(from, to)) {
      let only: number | null = null;
      let minutes = 0;
      for (const bucket of this.#kept.keys()) {
        if (bucket < from || bucket >= to) continue;
        only = bucket;
        minutes += 1;
      }
      if (minutes === 0) return { bucket: from, minute: EMPTY_MINUTE };
      if (minutes === 1 && only !== null) return { bucket: only, minute: this.#kept.get(only) ?? EMPTY_MINUTE };
    }
    // Made afresh from what is kept, so this transaction's own rows (rare: a flush carries the last
    // second) are added to them and a rollback leaves what is kept as it was.
    const minutes: Buckets = new Map();
    for (const [bucket, minute] of this.#kept) if (bucket >= from && bucket < to) minutes.set(bucket, minute.rollups());
    for (let i = 0; i < this.#staged.length; i += 4) {
      const at = this.#staged[i + 1] as number;
      if (at < from || at >= to) continue;
      const series = this.#staged[i] as number;
      const bucket = Math.floor(at / MINUTE) * MINUTE;
      let into = minutes.get(bucket);
      if (!into) minutes.set(bucket, (into = new Map()));
      let r = into.get(series);
      if (!r) into.set(series, (r = emptyRollup()));
      addStaged(r, this.#staged, i);
    }
    // An hour's part is its minute's rollup itself when one minute closes (the usual case), and
    // their sum when several do.
    const hours: Buckets = new Map();
    const sums = new Set<Rollup>();
    for (const [bucket, inBucket] of minutes) {
      const hour = Math.floor(bucket / HOUR) * HOUR;
      let into = hours.get(hour);
      if (!into) hours.set(hour, (into = new Map()));
      for (const [series, r] of inBucket) {
        const already = into.get(series);
        if (!already) into.set(series, r);
        else if (sums.has(already)) mergeInto(already, r);
        else {
          const sum = mergeInto(mergeInto(emptyRollup(), already), r);
          sums.add(sum);
          into.set(series, sum);
        }
      }
    }
    return { minutes, hours };
  }

  /**
   * The close of every minute before `before` is done (its last slice is in this transaction): the
   * minutes are let go when it commits, and so are this transaction's rows before it (the close
   * took them from `take`).
   */
  closed(before: number): void {
    this.#closingBefore = before;
  }

  /**
   * Where a close of [from, to) should stop so that it holds one kept minute: the start of the
   * second minute with rows in it, or `to` (also when rows may be missing from memory). A close
   * of one minute goes in slices; several at once in one piece.
   */
  splitBefore(from: number, to: number): number {
    if (from < this.#trustFrom) return to;
    let first = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    for (const bucket of this.#kept.keys()) {
      if (bucket < from || bucket >= to) continue;
      if (bucket < first) {
        second = first;
        first = bucket;
      } else if (bucket < second) second = bucket;
    }
    return Number.isFinite(second) ? second : to;
  }

  /** The transaction committed: its rows are kept, the minutes it closed are let go. */
  commit(): void {
    if (this.#closingBefore !== null)
      for (const [bucket, minute] of [...this.#kept]) {
        if (bucket >= this.#closingBefore) continue;
        this.#kept.delete(bucket);
        this.#release(minute);
      }
    const staged = this.#staged;
    for (let i = 0; i < staged.length; i += 4) {
      const at = staged[i + 1] as number;
      if (this.#closingBefore !== null && at < this.#closingBefore) continue;
      const bucket = Math.floor(at / MINUTE) * MINUTE;
      let minute = this.#kept.get(bucket);
      if (!minute) this.#kept.set(bucket, (minute = this.#spare.pop() ?? new OpenMinute()));
      minute.add(staged[i] as number, staged[i + 2] as number, staged[i + 3] as number);
    }
    this.#staged = [];
    this.#closingBefore = null;
    this.#markSeen = this.#readMark();
  }

  /** The transaction rolled back: nothing of it is kept. */
  discard(): void {
    this.#staged = [];
    this.#closingBefore = null;
  }

  /** Rows were deleted or written around the tracker (a server forgotten): start again after the newest row. */
  restart(): void {
    this.#restart();
  }

  /** How many (minute, series) rollups are kept: for tests and memory accounting. */
  get size(): number {
    let n = 0;
    for (const minute of this.#kept.values()) n += minute.size;
    return n;
  }

  #stagedIn(from: number, to: number): boolean {
    for (let i = 1; i < this.#staged.length; i += 4) {
      const at = this.#staged[i] as number;
      if (at >= from && at < to) return true;
    }
    return false;
  }

  #release(minute: OpenMinute): void {
    if (this.#spare.length >= SPARE_MINUTES) return;
    minute.clear();
    this.#spare.push(minute);
  }

  #restart(): void {
    for (const minute of this.#kept.values()) this.#release(minute);
    this.#kept = new Map();
    this.#staged = [];
    this.#closingBefore = null;
    const newest = this.#newestRaw();
    this.#trustFrom = newest === null ? Number.NEGATIVE_INFINITY : Math.floor(newest / MINUTE) * MINUTE + MINUTE;
    this.#dataVersion = this.#version();
    this.#markSeen = this.#readMark();
  }

  #version(): number {
    return Number(this.#db.pragma('data_version', { simple: true }));
  }
}

/** Adds the staged row at `i` as the read-back would: the stored µs in ms, the stored code. */
function addStaged(r: Rollup, staged: readonly number[], i: number): void {
  const rttUs = staged[i + 2] as number;
  const code = staged[i + 3] as number;
  addSample(r, Number.isNaN(rttUs) ? null : rttUs / 1000, Number.isNaN(code) ? undefined : code);
}
