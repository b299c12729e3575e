import type { Db } from './database';

/** One reading of the `load` probe on a server. */
export interface LoadRecord {
  serverId: string;
  at: number;
  load: [number, number, number];
  memTotalKb: number;
  memAvailableKb: number | null;
  uptimeSec: number;
  channels: number | null;
  pendingUpdates: number | null;
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
});

export function createServerLoadRepo(db: Db) {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO server_load (server_id, at, load1, load5, load15, mem_total_kb, mem_available_kb, uptime_sec, channels, pending_updates)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const range = db.prepare('SELECT * FROM server_load WHERE server_id = ? AND at >= ? AND at <= ? ORDER BY at LIMIT 20000');
  const prune = db.prepare('DELETE FROM server_load WHERE at < ?');
  return {
    insert(r: LoadRecord): void {
      insert.run(r.serverId, r.at, r.load[0], r.load[1], r.load[2], r.memTotalKb, r.memAvailableKb, r.uptimeSec, r.channels, r.pendingUpdates);
    },
    /** Oldest first, at most 20,000 readings (a week at one every 30 s). */
    range(serverId: string, from: number, to: number): LoadRecord[] {
      return (range.all(serverId, from, to) as Row[]).map(fromRow);
    },
    /** Drops readings older than `before`; returns how many. */
    prune(before: number): number {
      return prune.run(before).changes;
    },
  };
}

export type ServerLoadRepo = ReturnType<typeof createServerLoadRepo>;
