// Probe history: raw samples and their per-minute and per-hour rollups, written together in
// one transaction per batch, pruned by a retention policy, read back for charts and status.
import { decodeHistogram, encodeHistogram } from '../../domain/monitoring/histogram';
import { addSample, emptyRollup, type Rollup } from '../../domain/monitoring/rollup';
import type { ProbeKind, Sample } from '../../domain/monitoring/sample';
import type { Db } from './database';
import { querySeries, type SeriesQuery, type SeriesResult } from './samples-series';
import { KIND_CODE } from './sample-kinds';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface RetentionPolicy {
  rawMs: number;
  minuteMs: number;
  hourMs: number;
}

/**
 * Raw for two days (the default); minute rollups for two weeks, enough for the 7-day
 * chart at one point per 5 minutes; hour rollups for a year. Minute rows for a year would be
 * half a million per server and kind, for detail no chart of that span can show.
 */
export const DEFAULT_RETENTION: RetentionPolicy = { rawMs: 2 * DAY, minuteMs: 14 * DAY, hourMs: 366 * DAY };

export interface SamplesRepoOptions {
  retention?: Partial<RetentionPolicy>;
  now?: () => number;
}

export interface PruneResult {
  raw: number;
  minute: number;
  hour: number;
  /** Pages handed back to the file system by incremental vacuum. */
  freedPages: number;
}

const HIST_MERGE = 'switchyard_hist_merge';

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
  // Histograms merge in SQL through this function, so an upsert is one statement per bucket
  // with no read-modify-write round trip (and no in-memory cache to go stale).
  db.function(HIST_MERGE, { deterministic: true }, (a: unknown, b: unknown) =>
    Buffer.from(encodeHistogram(decodeHistogram(asBytes(b), decodeHistogram(asBytes(a))))),
  );

  // Only a repeated (server, kind, time) is skipped; any other constraint fails the batch.
  const insertRaw = db.prepare('INSERT INTO probe_samples (server_id, kind, at, rtt_us, code) VALUES (?, ?, ?, ?, ?) ON CONFLICT (server_id, kind, at) DO NOTHING');
  const upsert = (table: string) =>
    db.prepare(`INSERT INTO ${table} (server_id, kind, bucket, count, lost, flagged, min_ms, max_ms, sum_ms, sumsq_ms, hist)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (server_id, kind, bucket) DO UPDATE SET
        count = count + excluded.count, lost = lost + excluded.lost, flagged = flagged + excluded.flagged,
        min_ms = CASE WHEN min_ms IS NULL THEN excluded.min_ms WHEN excluded.min_ms IS NULL THEN min_ms ELSE min(min_ms, excluded.min_ms) END,
        max_ms = CASE WHEN max_ms IS NULL THEN excluded.max_ms WHEN excluded.max_ms IS NULL THEN max_ms ELSE max(max_ms, excluded.max_ms) END,
        sum_ms = sum_ms + excluded.sum_ms, sumsq_ms = sumsq_ms + excluded.sumsq_ms,
        hist = ${HIST_MERGE}(hist, excluded.hist)`);
  const upsertMinute = upsert('probe_rollup_minute');
  const upsertHour = upsert('probe_rollup_hour');
  const addSeries = db.prepare('INSERT OR IGNORE INTO probe_series (server_id, kind) VALUES (?, ?)');
  const allSeries = db.prepare('SELECT server_id, kind FROM probe_series');
  const pruneRaw = db.prepare('DELETE FROM probe_samples WHERE server_id = ? AND kind = ? AND at < ?');
  const pruneMinute = db.prepare('DELETE FROM probe_rollup_minute WHERE server_id = ? AND kind = ? AND bucket < ?');
  const pruneHour = db.prepare('DELETE FROM probe_rollup_hour WHERE server_id = ? AND kind = ? AND bucket < ?');
  const dropSeries = db.prepare('DELETE FROM probe_series WHERE server_id = ? AND kind = ? AND NOT EXISTS (SELECT 1 FROM probe_rollup_hour WHERE server_id = ? AND kind = ?)');
  const recentRaw = db.prepare('SELECT at, rtt_us, code FROM probe_samples WHERE server_id = ? AND kind = ? ORDER BY at DESC LIMIT ?');
  const forget = ['probe_samples', 'probe_rollup_minute', 'probe_rollup_hour', 'probe_series'].map((t) => db.prepare(`DELETE FROM ${t} WHERE server_id = ?`));
  // Series seen since open; the INSERT OR IGNORE runs once per series, not once per flush.
  const knownSeries = new Set<string>();

  const writeBatch = db.transaction((samples: readonly Sample[]): number => {
    const minutes = new Map<string, Rollup>();
    const hours = new Map<string, Rollup>();
    let inserted = 0;
    for (const s of samples) {
      const kind = KIND_CODE[s.kind];
      if (kind === undefined || typeof s.serverId !== 'string' || !Number.isFinite(s.at)) throw new TypeError(`not a probe sample: ${JSON.stringify(s)}`);
      const rttUs = s.rttMs === null || !Number.isFinite(s.rttMs) || s.rttMs < 0 ? null : Math.round(s.rttMs * 1000);
      const code = s.code !== undefined && Number.isInteger(s.code) && s.code >= 100 && s.code <= 699 ? s.code : null;
      // A sample already stored (a retried flush) changes nothing, rollups included.
      if (insertRaw.run(s.serverId, kind, Math.round(s.at), rttUs, code).changes === 0) continue;
      inserted += 1;
      const rtt = rttUs === null ? null : rttUs / 1000;
      accumulate(minutes, s.serverId, kind, Math.floor(s.at / MINUTE) * MINUTE, rtt, code);
      accumulate(hours, s.serverId, kind, Math.floor(s.at / HOUR) * HOUR, rtt, code);
      const key = `${kind}\u0000${s.serverId}`;
      if (!knownSeries.has(key)) {
        addSeries.run(s.serverId, kind);
        knownSeries.add(key);
      }
    }
    writeRollups(upsertMinute, minutes);
    writeRollups(upsertHour, hours);
    return inserted;
  });

  return {
    retention,
    /** Stores samples and updates both rollups in one transaction: all of it, or none. Returns how many were new. */
    insertBatch(samples: readonly Sample[]): number {
      if (samples.length === 0) return 0;
      try {
        return writeBatch(samples);
      } catch (error) {
        // The rolled-back batch may have been the first sight of a series.
        knownSeries.clear();
        throw error;
      }
    },

    /** Deletes what is older than the policy keeps, series by series, then returns freed pages to the file system. */
    prune(at: number = now()): PruneResult {
      const result: PruneResult = { raw: 0, minute: 0, hour: 0, freedPages: 0 };
      const series = allSeries.all() as { server_id: string; kind: number }[];
      db.transaction(() => {
        for (const { server_id: id, kind } of series) {
          result.raw += pruneRaw.run(id, kind, at - retention.rawMs).changes;
          result.minute += pruneMinute.run(id, kind, at - retention.minuteMs).changes;
          result.hour += pruneHour.run(id, kind, at - retention.hourMs).changes;
          if (dropSeries.run(id, kind, id, kind).changes > 0) knownSeries.delete(`${kind}\u0000${id}`);
        }
      })();
      const free = Number(db.pragma('freelist_count', { simple: true }));
      if (free > 0) {
        db.pragma('incremental_vacuum');
        result.freedPages = free - Number(db.pragma('freelist_count', { simple: true }));
      }
      return result;
    },

    /** The latest `limit` samples of one kind, newest first: what status derivation starts from after a restart. */
    recent(serverId: string, kind: ProbeKind, limit = 20): Sample[] {
      return (recentRaw.all(serverId, KIND_CODE[kind], limit) as { at: number; rtt_us: number | null; code: number | null }[]).map((r) => ({
        serverId,
        kind,
        at: r.at,
        rttMs: r.rtt_us === null ? null : r.rtt_us / 1000,
        ...(r.code === null ? {} : { code: r.code }),
      }));
    },

    /** Chart data: raw for short recent ranges, rollups for long ones, at most about `maxPoints` per kind. */
    series(serverId: string, kinds: readonly ProbeKind[], from: number, to: number, maxPoints = 2_000): SeriesResult {
      const query: SeriesQuery = { serverId, kinds, from, to, maxPoints };
      return querySeries(db, query, retention, now());
    },

    /** Removes all history of a server (it left the fleet). */
    forgetServer(serverId: string): void {
      db.transaction(() => {
        for (const statement of forget) statement.run(serverId);
      })();
      for (const key of [...knownSeries]) if (key.endsWith(`\u0000${serverId}`)) knownSeries.delete(key);
    },
  };
}

export type SamplesRepo = ReturnType<typeof createSamplesRepo>;

function accumulate(into: Map<string, Rollup>, serverId: string, kind: number, bucket: number, rttMs: number | null, code: number | null): void {
  const key = `${kind}\u0000${bucket}\u0000${serverId}`;
  let r = into.get(key);
  if (!r) {
    r = emptyRollup();
    into.set(key, r);
  }
  addSample(r, rttMs, code ?? undefined);
}

function writeRollups(statement: { run(...params: unknown[]): unknown }, rollups: Map<string, Rollup>): void {
  for (const [key, r] of rollups) {
    const [kind, bucket, serverId] = key.split('\u0000') as [string, string, string];
    statement.run(serverId, Number(kind), Number(bucket), r.count, r.lost, r.flagged, r.minMs, r.maxMs, r.sumMs, r.sumSqMs, Buffer.from(encodeHistogram(r.hist)));
  }
}

function asBytes(value: unknown): Uint8Array | null {
  return value instanceof Uint8Array ? value : null;
}

