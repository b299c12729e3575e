import type { UacStatus, UacUpstreamState } from '../../contract/uac-methods';
import type { Db } from './database';

/** One upstream as stored (no password: the secret store holds it). */
export interface StoredUpstream {
  id: string;
  serverId: string;
  registrar: string;
  username: string;
  expiry: number;
}

interface UpstreamRow {
  id: string;
  server_id: string;
  registrar: string;
  username: string;
  expiry: number;
}

interface StatusRow {
  server_id: string;
  read_at: number | null;
  command: string;
  states: string;
  error: string | null;
  error_at: number | null;
}

type Read = Pick<UacStatus, 'upstreams' | 'unmanaged'>;

export function createUacRepo(db: Db) {
  const list = db.prepare<[string], UpstreamRow>(
    'SELECT id, server_id, registrar, username, expiry FROM uac_upstreams WHERE server_id = ? ORDER BY position',
  );
  const all = db.prepare<[], UpstreamRow>(
    'SELECT id, server_id, registrar, username, expiry FROM uac_upstreams ORDER BY server_id, position',
  );
  const clear = db.prepare('DELETE FROM uac_upstreams WHERE server_id = ?');
  const insert = db.prepare(
    'INSERT INTO uac_upstreams (id, server_id, position, registrar, username, expiry, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const getStatus = db.prepare<[string], StatusRow>('SELECT * FROM uac_status WHERE server_id = ?');
  const allStatus = db.prepare<[], StatusRow>('SELECT * FROM uac_status');
  const saveGood = db.prepare(
    `INSERT INTO uac_status (server_id, read_at, command, states, error, error_at) VALUES (?, ?, ?, ?, NULL, NULL)
     ON CONFLICT (server_id) DO UPDATE SET read_at = excluded.read_at, command = excluded.command, states = excluded.states, error = NULL, error_at = NULL`,
  );
  const saveBad = db.prepare(
    `INSERT INTO uac_status (server_id, read_at, command, states, error, error_at) VALUES (?, NULL, ?, '{"upstreams":[],"unmanaged":[]}', ?, ?)
     ON CONFLICT (server_id) DO UPDATE SET command = excluded.command, error = excluded.error, error_at = excluded.error_at`,
  );
  const getPush = db.prepare<[string], { pushed_at: number; count: number }>('SELECT pushed_at, count FROM uac_pushes WHERE server_id = ?');
  const savePush = db.prepare(
    'INSERT INTO uac_pushes (server_id, pushed_at, count) VALUES (?, ?, ?) ON CONFLICT (server_id) DO UPDATE SET pushed_at = excluded.pushed_at, count = excluded.count',
  );
  const of = (r: UpstreamRow): StoredUpstream => ({
    id: r.id,
    serverId: r.server_id,
    registrar: r.registrar,
    username: r.username,
    expiry: r.expiry,
  });
  const statusOf = (r: StatusRow): UacStatus => {
    const read = JSON.parse(r.states) as Partial<Read>;
    return {
      serverId: r.server_id,
      readAt: r.read_at,
      command: r.command,
      upstreams: read.upstreams ?? [],
      unmanaged: read.unmanaged ?? [],
      error: r.error,
      errorAt: r.error_at,
    };
  };

  return {
    upstreams: (serverId: string): StoredUpstream[] => list.all(serverId).map(of),
    allUpstreams: (): StoredUpstream[] => all.all().map(of),
    /** Replaces the server's list; the caller runs it inside a transaction with whatever goes with it. */
    replaceUpstreams(serverId: string, upstreams: readonly Omit<StoredUpstream, 'serverId'>[], at: number): void {
      clear.run(serverId);
      upstreams.forEach((u, position) => insert.run(u.id, serverId, position, u.registrar, u.username, u.expiry, at));
    },
    status: (serverId: string): UacStatus | null => {
      const row = getStatus.get(serverId);
      return row ? statusOf(row) : null;
    },
    allStatus: (): UacStatus[] => allStatus.all().map(statusOf),
    /** What Install last pushed to the server; null when it never did. */
    lastPush(serverId: string): { at: number; count: number } | null {
      const row = getPush.get(serverId);
      return row ? { at: row.pushed_at, count: row.count } : null;
    },
    recordPush(serverId: string, at: number, count: number): void {
      savePush.run(serverId, at, count);
    },
    saveRead(
      serverId: string,
      at: number,
      command: string,
      read: { upstreams: readonly UacUpstreamState[]; unmanaged: Read['unmanaged'] },
    ): void {
      saveGood.run(serverId, at, command, JSON.stringify({ upstreams: read.upstreams, unmanaged: read.unmanaged }));
    },
    /** A failed read keeps the last good states (with their time), beside the error. */
    saveFailure(serverId: string, at: number, command: string, error: string): void {
      saveBad.run(serverId, command, error, at);
    },
  };
}

export type UacRepo = ReturnType<typeof createUacRepo>;
