// Probe history: raw samples and their per-minute and per-hour rollups, written in one
// transaction per batch, pruned by a retention policy, read back for charts and status.
import { LOCAL_SOURCE, type ProbeKind, type Sample } from '../../domain/monitoring/sample';
import type { Db } from './database';
import type { RetentionPolicy } from './retention';
import { accumulate, CLOSE_GRACE_MS, createRollupWriter, HOUR, markOf, MINUTE, type Buckets, type CloseState } from './samples-rollups';
import { createChunkStore, type LateSample } from './samples-chunks';
import { OpenRollups } from './open-rollups';
import { createSeriesReader, type SeriesQuery, type SeriesResult } from './samples-series';
import { KIND_CODE, KIND_OF_CODE } from './sample-kinds';
import { createRawHead } from './raw-head';

const DAY = 24 * HOUR;
/** Rows a flush may pack beyond twice its own samples. */
const PACK_FLOOR = 200;

export type { RetentionPolicy };

/**
 * Raw for two days (the default); minute rollups for two weeks, enough for the 7-day
 * chart at one point per 5 minutes; hour rollups for a year. Minute rows for a year would be
 * half a million per server and kind, for detail no chart of that span can show.
 */
export const DEFAULT_RETENTION: RetentionPolicy = { rawMs: 2 * DAY, minuteMs: 14 * DAY, hourMs: 366 * DAY };

export interface SamplesRepoOptions {
  retention?: Partial<RetentionPolicy>;
  now?: () => number;
  /**
   * Keep the open minutes' rollups in memory as rows are written (the default), so a minute's
   * close does not read its rows back; false reads every closing minute back.
   */
  keepOpenRollups?: boolean;
}

export interface PruneResult {
  raw: number;
  minute: number;
  hour: number;
  /** Pages handed back to the file system by incremental vacuum. */
  freedPages: number;
}

/**
 * Makes the file give freed pages back (`PRAGMA incremental_vacuum` after retention). The mode
 * can only change through VACUUM, which cannot run inside a migration's transaction, so it is
 * done here once, right after migrating, while the monitoring tables are still empty and the
 * copy is cheap. Returns whether a VACUUM ran.
 */
export function enableIncrementalVacuum(db: Db): boolean {
  if (db.readonly || db.inTransaction) return false;
  if (db.pragma('auto_vacuum', { simple: true }) === 2) return false;
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
  return true;
}

export function createSamplesRepo(db: Db, options: SamplesRepoOptions = {}) {
  const retention: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.retention };
  const now = options.now ?? Date.now;
  enableIncrementalVacuum(db);
  const open = db.readonly || options.keepOpenRollups === false ? undefined : new OpenRollups(db);
  const rollups = createRollupWriter(db, open ? { open } : {});
  const chunks = createChunkStore(db);
  const querySeries = createSeriesReader(db, chunks.range);
  // A snapshot saved with rollups only has no raw samples: its charts read minutes where a live
  // store would read raw (a read-only file cannot gain any, so this is asked once).
  let rawless: boolean | null = null;
  const chartRetention = (): RetentionPolicy => {
    if (!db.readonly) return retention;
    rawless ??= db.prepare('SELECT NOT EXISTS (SELECT 1 FROM probe_raw) AND NOT EXISTS (SELECT 1 FROM probe_chunk)').pluck().get() === 1;
    return rawless ? { ...retention, rawMs: 0 } : retention;
  };
  // A database converted from one row per sample (migration 017) is packed here, series by series.
  if (!db.readonly) chunks.sealBacklog(chunks.sealTarget(rollups.mark()));
  // And one from rollup rows (migration 020) into blocks, series by series.
  if (!db.readonly) rollups.packBacklog();
  // Only a repeated (series, time) is skipped; any other constraint fails the batch.
  const raw = createRawHead(db);
  const addSeries = db.prepare(
    'INSERT INTO probe_series (server_id, kind, source) VALUES (?, ?, ?) ON CONFLICT (server_id, kind, source) DO NOTHING',
  );
  const findSeries = db.prepare('SELECT id FROM probe_series WHERE server_id = ? AND kind = ? AND source = ?').pluck();
  const sourcesOfTarget = db.prepare('SELECT DISTINCT source FROM probe_series WHERE server_id = ? ORDER BY source').pluck();
  const seriesOfSource = db.prepare('SELECT id, server_id, kind FROM probe_series WHERE source = ? ORDER BY server_id, kind');
  // A server that leaves takes both its own history and what it measured as a vantage point.
  const seriesOfServer = db.prepare('SELECT id FROM probe_series WHERE server_id = @id OR source = @id').pluck();
  const allSeries = db.prepare('SELECT id FROM probe_series').pluck();
  const pruneMinute = db.prepare('DELETE FROM probe_minute WHERE series = ? AND bucket < ?');
  const pruneHour = db.prepare('DELETE FROM probe_hour WHERE series = ? AND bucket < ?');
  const dropSeries = db.prepare(`DELETE FROM probe_series WHERE id = @id
    AND NOT EXISTS (SELECT 1 FROM probe_hour WHERE series = @id) AND NOT EXISTS (SELECT 1 FROM probe_minute WHERE series = @id)
    AND ${raw.noRowsOf('@id')} AND NOT EXISTS (SELECT 1 FROM probe_chunk WHERE series = @id)
    AND NOT EXISTS (SELECT 1 FROM probe_rollup_block WHERE series = @id)`);
  const forgetRows = ['probe_chunk', 'probe_minute', 'probe_hour', 'probe_rollup_block', 'probe_series'].map((t) =>
    db.prepare(`DELETE FROM ${t} WHERE ${t === 'probe_series' ? 'id' : 'series'} = ?`),
  );
  const forget = (series: number) => {
    raw.drop(series);
    for (const statement of forgetRows) statement.run(series);
  };
  // Series ids seen since open, so a flush looks each one up once, not once per sample.
  const seriesIds = new Map<string, number>();

  const lookupSeries = (serverId: string, kind: number, source: string = LOCAL_SOURCE): number | undefined => {
    const key = `${kind}\u0000${source}\u0000${serverId}`;
    let id = seriesIds.get(key);
    if (id === undefined) {
      id = findSeries.get(serverId, kind, source) as number | undefined;
      if (id !== undefined) seriesIds.set(key, id);
    }
    return id;
  };
  const seriesFor = (serverId: string, kind: number, source: string): number => {
    const known = lookupSeries(serverId, kind, source);
    if (known !== undefined) return known;
    addSeries.run(serverId, kind, source);
    return lookupSeries(serverId, kind, source) as number;
  };

  // The newest sample this repository stored: how far closeSome rolls up.
  let newestStored = Number.NEGATIVE_INFINITY;
  let batchNewest = Number.NEGATIVE_INFINITY;
  // The watermark as the last batch read it: what closePending answers from, with no query.
  let lastMarks: CloseState | null = null;

  const writeBatch = db.transaction((samples: readonly Sample[], closeBudget: number): number => {
    open?.begin();
    // Samples older than their series' mark missed their minute's roll-up: they are merged in now.
    const marks = rollups.state();
    lastMarks = marks;
    const minutes: Buckets = new Map();
    const hours: Buckets = new Map();
    let newest = Number.NEGATIVE_INFINITY;
    let inserted = 0;
    const lateSealed: LateSample[] = [];
    const rollUpLate = (series: number, at: number, rttUs: number | null, code: number | null) => {
      const rtt = rttUs === null ? null : rttUs / 1000;
      accumulate(minutes, series, Math.floor(at / MINUTE) * MINUTE, rtt, code);
      accumulate(hours, series, Math.floor(at / HOUR) * HOUR, rtt, code);
    };
    for (const s of samples) {
      const kind = KIND_CODE[s.kind];
      if (kind === undefined || typeof s.serverId !== 'string' || !Number.isFinite(s.at))
        throw new TypeError(`not a probe sample: ${JSON.stringify(s)}`);
      const rttUs = s.rttMs === null || !Number.isFinite(s.rttMs) || s.rttMs < 0 ? null : Math.round(s.rttMs * 1000);
      const code = s.code !== undefined && Number.isInteger(s.code) && s.code >= 100 && s.code <= 699 ? s.code : null;
      const source = s.source ?? LOCAL_SOURCE;
      if (typeof source !== 'string' || source === '' || source.length > 64)
        throw new TypeError(`not a probe source: ${JSON.stringify(s)}`);
      const series = seriesFor(s.serverId, kind, source);
      // A sample already stored (a retried flush) changes nothing, rollups included.
      const at = Math.round(s.at);
      // A late sample whose window is already packed goes into its chunk (all of them at once,
      // below); anything else is a raw row.
      const closedBefore = markOf(marks, series);
      if (at < closedBefore && chunks.isSealed(series, at)) {
        lateSealed.push([series, at, rttUs, code]);
        continue;
      }
      if (!raw.insert(series, at, rttUs, code)) continue;
      inserted += 1;
      newest = Math.max(newest, at);
      if (at < closedBefore) rollUpLate(series, at, rttUs, code);
      else open?.add(series, at, rttUs, code);
    }
    for (const [series, at, rttUs, code] of chunks.insertSealed(lateSealed)) {
      inserted += 1;
      rollUpLate(series, at, rttUs, code);
    }
    rollups.writeLate(minutes, hours);
    batchNewest = newest;
    if (closeBudget > 0) rollups.closeUpTo(Math.max(newest, newestStored), CLOSE_GRACE_MS, closeBudget);
    // Packing keeps pace with ingest (twice the batch) without landing a quarter hour's work on one
    // flush; the floor moves a trickle along. The writer sends slices of a few hundred samples
    // (sample-writer.ts), so the floor is kept small: a flush's packing stays a few milliseconds.
    chunks.sealSome(chunks.sealTarget(rollups.mark()), 2 * samples.length + PACK_FLOOR);
    rollups.packSome(2 * samples.length + PACK_FLOOR);
    return inserted;
  });

  const closeStep = db.transaction((budget: number): boolean => {
    open?.begin();
    return rollups.closeUpTo(newestStored, CLOSE_GRACE_MS, budget);
  });

  return {
    retention,
    /** Stores samples and updates both rollups in one transaction: all of it, or none. Returns how many were new. */
    insertBatch(samples: readonly Sample[], closeBudget = Number.POSITIVE_INFINITY): number {
      if (samples.length === 0) return 0;
      try {
        // IMMEDIATE: the write lock is taken (or waited for) at BEGIN. A deferred transaction that
        // reads the watermark and then writes fails at once with SQLITE_BUSY when another process
        // (the CLI, a script beside the app) committed in between; it cannot wait its turn.
        const inserted = writeBatch.immediate(samples, closeBudget);
        open?.commit();
        newestStored = Math.max(newestStored, batchNewest);
        return inserted;
      } catch (error) {
        // The rolled-back batch may have created series: their ids are gone with it.
        seriesIds.clear();
        open?.discard();
        throw error;
      }
    },

    /**
     * Whether closeSome has work, from what the last batch saw (no query): a close under way, or the
     * newest sample a grace period past the end of a minute not closed. May say yes for nothing
     * (another process closed meanwhile); closeSome then does nothing.
     */
    closePending(): boolean {
      if (db.readonly || lastMarks === null) return false;
      return lastMarks.closingTo !== null || Math.floor((newestStored - CLOSE_GRACE_MS) / MINUTE) * MINUTE > lastMarks.closedBefore;
    },

    /**
     * Rolls up part of what waits for its minute's close (about `budget` series), in a transaction
     * of its own: what the sample writer calls between its slices when it stores batches with a
     * close budget of 0. Returns true while some is left. Charts read the same points before,
     * during and after a close (samples-rollups.ts).
     */
    closeSome(budget: number): boolean {
      if (db.readonly) return false;
      // A close under way is carried on (one a killed process left, too); a new one starts once
      // the newest sample stored is a grace period past a minute's end.
      const marks = rollups.state();
      if (marks.closingTo === null && !(Math.floor((newestStored - CLOSE_GRACE_MS) / MINUTE) * MINUTE > marks.closedBefore)) return false;
      try {
        const more = closeStep.immediate(budget);
        open?.commit();
        lastMarks = rollups.state();
        return more;
      } catch (error) {
        open?.discard();
        throw error;
      }
    },

    /** Deletes what is older than the policy keeps, series by series, then returns freed pages to the file system. */
    prune(at: number = now()): PruneResult {
      const result: PruneResult = { raw: 0, minute: 0, hour: 0, freedPages: 0 };
      const series = allSeries.all() as number[];
      try {
        db.transaction(() => {
          open?.begin();
          // Roll up what waits past the grace period first (probing may have stopped), so retention
          // never deletes raw rows that no rollup holds yet.
          rollups.closeUpTo(at);
          for (const id of series) {
            result.raw += raw.drop(id, -Infinity, at - retention.rawMs) + chunks.prune(id, at - retention.rawMs);
            result.minute +=
              pruneMinute.run(id, at - retention.minuteMs).changes + rollups.prunePacked(id, MINUTE, at - retention.minuteMs);
            result.hour += pruneHour.run(id, at - retention.hourMs).changes + rollups.prunePacked(id, HOUR, at - retention.hourMs);
            dropSeries.run({ id });
          }
        })();
        // Retention deleted open rows only under a policy keeping raw less than the grace period:
        // then the next close reads its minute back rather than trust what was kept.
        if (at - retention.rawMs > rollups.mark()) open?.restart();
        else open?.commit();
      } catch (error) {
        open?.discard();
        throw error;
      }
      // Ids of dropped series are never reused (AUTOINCREMENT); the lookups re-learn what remains.
      seriesIds.clear();
      const free = Number(db.pragma('freelist_count', { simple: true }));
      if (free > 0) {
        db.pragma('incremental_vacuum');
        result.freedPages = free - Number(db.pragma('freelist_count', { simple: true }));
      }
      return result;
    },

    /** The latest `limit` samples of one kind, newest first: what status derivation starts from after a restart. */
    recent(serverId: string, kind: ProbeKind, limit = 20): Sample[] {
      const series = lookupSeries(serverId, KIND_CODE[kind]);
      if (series === undefined) return [];
      return chunks.newest(series, limit).map(([at, rttUs, code]) => ({
        serverId,
        kind,
        at,
        rttMs: rttUs === null ? null : rttUs / 1000,
        ...(code === null ? {} : { code }),
      }));
    },

    /** Chart data: raw for short recent ranges, rollups for long ones, at most about `maxPoints` per kind. */
    series(
      serverId: string,
      kinds: readonly ProbeKind[],
      from: number,
      to: number,
      maxPoints = 2_000,
      source: string = LOCAL_SOURCE,
    ): SeriesResult {
      const query: SeriesQuery = { serverId, kinds, from, to, maxPoints };
      return querySeries(
        query,
        { seriesOf: (kind) => lookupSeries(serverId, KIND_CODE[kind], source), openRows: rollups.openRows },
        chartRetention(),
        now(),
      );
    },

    /** Who has measured this target: 'local' and the vantage servers' ids with any history of it. */
    sourcesOf(serverId: string): string[] {
      return sourcesOfTarget.all(serverId) as string[];
    },

    /** The newest stored sample of each (target, kind) one source measured: what a vantage status shows. */
    latestBySource(source: string): Sample[] {
      return (seriesOfSource.all(source) as { id: number; server_id: string; kind: number }[]).flatMap((r) => {
        const kind = KIND_OF_CODE.get(r.kind);
        const newest = chunks.newest(r.id, 1)[0];
        if (kind === undefined || newest === undefined) return [];
        const [at, rttUs, code] = newest;
        return [
          { serverId: r.server_id, kind, at, rttMs: rttUs === null ? null : rttUs / 1000, ...(code === null ? {} : { code }), source },
        ];
      });
    },

    /** Removes all history of a server (it left the fleet), as a target and as a vantage point. */
    forgetServer(serverId: string): void {
      db.transaction(() => {
        for (const id of seriesOfServer.all({ id: serverId }) as number[]) forget(id);
      })();
      seriesIds.clear();
      // Its open rows are gone: what is kept of them would be added to nobody's minute.
      open?.restart();
    },
  };
}

export type SamplesRepo = ReturnType<typeof createSamplesRepo>;
