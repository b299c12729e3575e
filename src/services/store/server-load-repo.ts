import type { Db } from './database';

/** Calls as Kamailio's dialog statistics gave them at one poll. */
export interface CallsRecord {
  early: number;
  processed: number;
  clockSec: number;
  kamailioUptimeSec: number | null;
}

/** One reading of the `load` probe on a server. */
export interface LoadRecord {
  serverId: string;
  at: number;
  load: [number, number, number];
  memTotalKb: number;
  memAvailableKb: number | null;
  uptimeSec: number;
  /** Channels in use: calls answered plus ringing; null when not known. */
  channels: number | null;
  pendingUpdates: number | null;
  /** The dialog counters behind `channels`; absent when calls were not read this way. */
  calls?: CallsRecord | null;
  /** Calls per second since the previous reading; null when it could not be told. */
  cps?: number | null;
  /** Why calls could not be read (the server is named by whoever shows it). */
  callsError?: string | null;
}

interface Row {
  server_id: string;
  at: number;
  load1: number;
  load5: number;
  load15: number;
  mem_total_kb: number;
  mem_available_kb: number | null;
  uptime_sec: number;
  channels: number | null;
  pending_updates: number | null;
  calls_early: number | null;
  calls_processed: number | null;
  calls_clock_sec: number | null;
  kamailio_uptime_sec: number | null;
  cps: number | null;
  calls_error: string | null;
}

const fromRow = (r: Row): LoadRecord => ({
  serverId: r.server_id,
  at: r.at,
  load: [r.load1, r.load5, r.load15],
  memTotalKb: r.mem_total_kb,
  memAvailableKb: r.mem_available_kb,
  uptimeSec: r.uptime_sec,
  channels: r.channels,
  pendingUpdates: r.pending_updates,
  calls:
    r.calls_processed === null || r.calls_clock_sec === null
      ? null
      : { early: r.calls_early ?? 0, processed: r.calls_processed, clockSec: r.calls_clock_sec, kamailioUptimeSec: r.kamailio_uptime_sec },
  cps: r.cps,
  callsError: r.calls_error,
});

export function createServerLoadRepo(db: Db) {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO server_load (server_id, at, load1, load5, load15, mem_total_kb, mem_available_kb, uptime_sec, channels, pending_updates,
       calls_early, calls_processed, calls_clock_sec, kamailio_uptime_sec, cps, calls_error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const range = db.prepare('SELECT * FROM server_load WHERE server_id = ? AND at >= ? AND at <= ? ORDER BY at LIMIT 20000');
  const latest = db.prepare('SELECT * FROM server_load WHERE server_id = ? AND at >= ? AND at <= ? ORDER BY at DESC LIMIT 1');
  const latestCounted = db.prepare(
    'SELECT * FROM server_load WHERE server_id = ? AND at >= ? AND calls_processed IS NOT NULL ORDER BY at DESC LIMIT 1',
  );
  const prune = db.prepare('DELETE FROM server_load WHERE at < ?');
  return {
    insert(r: LoadRecord): void {
      const c = r.calls ?? null;
      insert.run(
        r.serverId,
        r.at,
        r.load[0],
        r.load[1],
        r.load[2],
        r.memTotalKb,
        r.memAvailableKb,
        r.uptimeSec,
        r.channels,
        r.pendingUpdates,
        c?.early ?? null,
        c?.processed ?? null,
        c?.clockSec ?? null,
        c?.kamailioUptimeSec ?? null,
        r.cps ?? null,
        r.callsError ?? null,
      );
    },
    /** Oldest first, at most 20,000 readings (a week at one every 30 s). */
    range(serverId: string, from: number, to: number): LoadRecord[] {
      return (range.all(serverId, from, to) as Row[]).map(fromRow);
    },
    /** The newest reading between `from` and `to`, or null (one index seek per server). */
    latest(serverId: string, from: number, to: number): LoadRecord | null {
      const row = latest.get(serverId, from, to) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    /** The newest reading since `from` that carried Kamailio's dialog counter: the base of the next call rate. */
    latestCounted(serverId: string, from: number): LoadRecord | null {
      const row = latestCounted.get(serverId, from) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    /** Drops readings older than `before`; returns how many. */
    prune(before: number): number {
      return prune.run(before).changes;
    },
  };
}

export type ServerLoadRepo = ReturnType<typeof createServerLoadRepo>;
