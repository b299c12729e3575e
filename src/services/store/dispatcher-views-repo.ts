import type { DsDestination } from '../../domain/dispatcher/ds-list';
import { destinationState } from '../../domain/dispatcher/ds-list';
import type { Db } from './database';

/** The last read of one dispatcher's destinations, and the last failed read. */
export interface StoredDispatcherRead {
  serverId: string;
  /** When the destinations below were read; null when no read has succeeded yet. */
  readAt: number | null;
  command: string;
  destinations: DsDestination[];
  error: string | null;
  errorAt: number | null;
}

interface ReadRow {
  server_id: string;
  read_at: number | null;
  command: string;
  error: string | null;
  error_at: number | null;
}

interface DestinationRow {
  set_id: number;
  uri: string;
  flags: string;
  priority: number | null;
  attrs: string | null;
  weight: number | null;
  latency_avg_ms: number | null;
  latency_std_ms: number | null;
  latency_est_ms: number | null;
  latency_max_ms: number | null;
  latency_timeouts: number | null;
  has_latency: number;
}

const destinationOf = (r: DestinationRow): DsDestination => ({
  setId: r.set_id,
  uri: r.uri,
  flags: r.flags,
  ...destinationState(r.flags),
  priority: r.priority,
  attrs: r.attrs,
  weight: r.weight,
  latency:
    r.has_latency === 1
      ? { avgMs: r.latency_avg_ms, stdMs: r.latency_std_ms, estMs: r.latency_est_ms, maxMs: r.latency_max_ms, timeouts: r.latency_timeouts }
      : null,
});

export function createDispatcherViewsRepo(db: Db) {
  const getRead = db.prepare('SELECT * FROM dispatcher_reads WHERE server_id = ?');
  const listDestinations = db.prepare('SELECT * FROM dispatcher_destinations WHERE server_id = ? ORDER BY position');
  const upsertGood = db.prepare(
    `INSERT INTO dispatcher_reads (server_id, read_at, command, error, error_at) VALUES (?, ?, ?, NULL, NULL)
     ON CONFLICT (server_id) DO UPDATE SET read_at = excluded.read_at, command = excluded.command, error = NULL, error_at = NULL`,
  );
  const upsertFailed = db.prepare(
    `INSERT INTO dispatcher_reads (server_id, read_at, command, error, error_at) VALUES (?, NULL, ?, ?, ?)
     ON CONFLICT (server_id) DO UPDATE SET command = excluded.command, error = excluded.error, error_at = excluded.error_at`,
  );
  const clearDestinations = db.prepare('DELETE FROM dispatcher_destinations WHERE server_id = ?');
  const insertDestination = db.prepare(
    `INSERT INTO dispatcher_destinations (server_id, position, set_id, uri, flags, priority, attrs, weight,
       latency_avg_ms, latency_std_ms, latency_est_ms, latency_max_ms, latency_timeouts, has_latency)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const serverIds = db.prepare('SELECT server_id FROM dispatcher_reads');

  const get = (serverId: string): StoredDispatcherRead | null => {
    const row = getRead.get(serverId) as ReadRow | undefined;
    if (!row) return null;
    return {
      serverId,
      readAt: row.read_at,
      command: row.command,
      destinations: (listDestinations.all(serverId) as DestinationRow[]).map(destinationOf),
      error: row.error,
      errorAt: row.error_at,
    };
  };

  return {
    get,
    /** Every dispatcher that has been read (or tried), for the advisor. */
    all(): StoredDispatcherRead[] {
      return (serverIds.all() as { server_id: string }[]).flatMap((r) => get(r.server_id) ?? []);
    },
    /** A good read: its destinations replace the previous ones whole, and the last error is cleared. */
    saveRead(serverId: string, at: number, command: string, destinations: readonly DsDestination[]): void {
      db.transaction(() => {
        upsertGood.run(serverId, at, command);
        clearDestinations.run(serverId);
        destinations.forEach((d, position) => {
          const l = d.latency;
          insertDestination.run(
            serverId,
            position,
            d.setId,
            d.uri,
            d.flags,
            d.priority,
            d.attrs,
            d.weight,
            l?.avgMs ?? null,
            l?.stdMs ?? null,
            l?.estMs ?? null,
            l?.maxMs ?? null,
            l?.timeouts ?? null,
            l ? 1 : 0,
          );
        });
      })();
    },
    /** A failed read: recorded beside the last good destinations, which stay as they were. */
    saveFailure(serverId: string, at: number, command: string, error: string): void {
      upsertFailed.run(serverId, command, error, at);
    },
  };
}

export type DispatcherViewsRepo = ReturnType<typeof createDispatcherViewsRepo>;
