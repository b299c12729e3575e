import type { MediaMeasurement, MediaSsh } from '../../contract/media-methods';
import type { Db } from './database';

// Media server selection as stored: the servers' media zone column, the one row of SSH settings
// for RTP servers, and the Media path measurements (the newest kept, older ones pruned).

/** Measurements kept in all; enough history to look back over a day of work, bounded. */
export const MEASUREMENTS_KEPT = 200;

interface SshRow {
  port: number | null;
  user: string | null;
  auth: 'agent' | 'key';
  key_path: string | null;
  jump_host: string | null;
}

export function createMediaRepo(db: Db) {
  const zones = db.prepare('SELECT id AS serverId, media_zone AS zoneId FROM servers ORDER BY ip');
  const zoneOf = db.prepare('SELECT media_zone AS zoneId FROM servers WHERE id = ?');
  const setZone = db.prepare('UPDATE servers SET media_zone = ? WHERE id = ?');
  const ssh = db.prepare('SELECT port, user, auth, key_path, jump_host FROM media_ssh WHERE id = 1');
  const setSsh = db.prepare(
    'UPDATE media_ssh SET port = @port, user = @user, auth = @auth, key_path = @key_path, jump_host = @jump_host WHERE id = 1',
  );
  const insert = db.prepare(
    'INSERT INTO media_measurements (id, server_id, customer, carrier, measured_at, result) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const prune = db.prepare(
    `DELETE FROM media_measurements WHERE id NOT IN (SELECT id FROM media_measurements ORDER BY measured_at DESC, rowid DESC LIMIT ${MEASUREMENTS_KEPT})`,
  );
  const lastAny = db.prepare('SELECT result FROM media_measurements ORDER BY measured_at DESC, rowid DESC LIMIT 1');
  const lastFor = db.prepare('SELECT result FROM media_measurements WHERE server_id = ? ORDER BY measured_at DESC, rowid DESC LIMIT 1');
  // The newest measurement of each server, for the advisor (one query, not one per server).
  const latestPerServer = db.prepare(`
    SELECT m.result FROM media_measurements m
    WHERE m.server_id IS NOT NULL AND m.rowid = (
      SELECT rowid FROM media_measurements WHERE server_id = m.server_id ORDER BY measured_at DESC, rowid DESC LIMIT 1
    )`);

  const parse = (row: { result: string } | undefined): MediaMeasurement | null =>
    row ? (JSON.parse(row.result) as MediaMeasurement) : null;

  return {
    zones: (): { serverId: string; zoneId: string | null }[] => zones.all() as { serverId: string; zoneId: string | null }[],
    /** undefined when the server does not exist. */
    zoneOf: (serverId: string): string | null | undefined => (zoneOf.get(serverId) as { zoneId: string | null } | undefined)?.zoneId,
    setZone: (serverId: string, zoneId: string | null): boolean => setZone.run(zoneId, serverId).changes > 0,
    ssh(): MediaSsh {
      const r = ssh.get() as SshRow;
      return { port: r.port, user: r.user, auth: r.auth, keyPath: r.key_path, jumpHost: r.jump_host };
    },
    setSsh: (s: MediaSsh): void =>
      void setSsh.run({ port: s.port, user: s.user, auth: s.auth, key_path: s.keyPath, jump_host: s.jumpHost }),
    save(m: MediaMeasurement): void {
      db.transaction(() => {
        insert.run(m.id, m.serverId, m.customer, m.carrier, m.measuredAt, JSON.stringify(m));
        prune.run();
      })();
    },
    last: (serverId?: string): MediaMeasurement | null =>
      parse((serverId === undefined ? lastAny.get() : lastFor.get(serverId)) as { result: string } | undefined),
    latestPerServer: (): MediaMeasurement[] =>
      (latestPerServer.all() as { result: string }[]).map((r) => JSON.parse(r.result) as MediaMeasurement),
  };
}

export type MediaRepo = ReturnType<typeof createMediaRepo>;
