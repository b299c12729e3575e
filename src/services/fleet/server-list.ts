import type { Server, ServerRow, ServerStatus } from '../../contract/fleet';
import { sortByIp } from '../../domain/fleet/ip';
import { baseStatus } from '../../domain/fleet/status';
import type { StoredServer, StoredServerRow } from '../store/servers-repo';

// Listing the fleet needs only the stored rows, the status rule and the address order: kept apart
// from the servers service (which loads the fleet rules and their schemas) so `switchyard fleet list`
// starts without them.

/** Expired and stopped are the user's decisions and win; otherwise monitoring's verdict, if any. */
export function withLiveStatus(server: StoredServer, now: number, live?: (id: string) => ServerStatus | null): Server {
  const base = baseStatus(server, now);
  return { ...server, status: base === 'unknown' ? (live?.(server.id) ?? base) : base };
}

/** Every server in address order, each with its status at `now`. */
export function listServers(stored: readonly StoredServer[], now: number, live?: (id: string) => ServerStatus | null): Server[] {
  return sortByIp(stored, (s) => s.ip).map((s) => withLiveStatus(s, now, live));
}

/**
 * The table's view of every server (see ServerRow), in the same order and with the same status as
 * `listServers`, from the stored rows' table fields alone (`tableRows`): no full record is read.
 */
export function listServerRows(stored: readonly StoredServerRow[], now: number, live?: (id: string) => ServerStatus | null): ServerRow[] {
  return sortByIp(stored, (s) => s.ip).map((s) => {
    const base = baseStatus(s, now);
    return { ...s, status: base === 'unknown' ? (live?.(s.id) ?? base) : base };
  });
}
