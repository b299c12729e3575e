// The status-change log: one row each time a server's derived status changes. Read newest first
// for the Events list; pruned with the raw samples' retention so it cannot grow without bound.
import type { Db } from './database';

export interface StatusEventRecord {
  id: number;
  serverId: string;
  alias: string;
  ip: string;
  at: number;
  from: string;
  to: string;
  reason: string;
  /** For a change to down: whether the host still answered ICMP (domain/monitoring/reachability.ts). */
  reach?: string | null;
}

export interface StatusEventQuery {
  serverId?: string;
  /** Only events strictly older than this (UTC ms): the next page. */
  before?: number;
  limit: number;
}

interface Row {
  id: number;
  server_id: string;
  alias: string;
  ip: string;
  at: number;
  from_status: string;
  to_status: string;
  reason: string;
  reach?: string | null;
}

const fromRow = (r: Row): StatusEventRecord => ({
  id: r.id,
  serverId: r.server_id,
  alias: r.alias,
  ip: r.ip,
  at: r.at,
  from: r.from_status,
  to: r.to_status,
  reason: r.reason,
  reach: r.reach ?? null,
});

export function createStatusEventsRepo(db: Db) {
  const insert = db.prepare(
    'INSERT INTO status_events (server_id, alias, ip, at, from_status, to_status, reason, reach) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertAll = db.transaction((events: readonly Omit<StatusEventRecord, 'id'>[]) => {
    const ids: number[] = [];
    for (const e of events)
      ids.push(Number(insert.run(e.serverId, e.alias, e.ip, e.at, e.from, e.to, e.reason, e.reach ?? null).lastInsertRowid));
    return ids;
  });
  const latest = db.prepare('SELECT * FROM status_events WHERE at < ? ORDER BY at DESC, id DESC LIMIT ?');
  const latestOf = db.prepare('SELECT * FROM status_events WHERE server_id = ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?');
  const prune = db.prepare('DELETE FROM status_events WHERE at < ?');

  return {
    /** Appends events in one transaction; returns them with their ids. */
    append(events: readonly Omit<StatusEventRecord, 'id'>[]): StatusEventRecord[] {
      if (events.length === 0) return [];
      const ids = insertAll(events);
      return events.map((e, i) => ({ ...e, id: ids[i] ?? 0 }));
    },
    list(query: StatusEventQuery): StatusEventRecord[] {
      const before = query.before ?? Number.MAX_SAFE_INTEGER;
      const rows = (
        query.serverId === undefined ? latest.all(before, query.limit) : latestOf.all(query.serverId, before, query.limit)
      ) as Row[];
      return rows.map(fromRow);
    },
    /** Deletes events older than `cutoff` (UTC ms); returns how many. */
    prune(cutoff: number): number {
      return prune.run(cutoff).changes;
    },
  };
}

export type StatusEventsRepo = ReturnType<typeof createStatusEventsRepo>;
