import type { RtpServer } from '../../contract/fleet';
import type { Db } from './database';

interface Row {
  id: string;
  ip: string;
  alias: string;
  zone_id: string;
  created_at: number;
}

const fromRow = (r: Row): RtpServer => ({ id: r.id, ip: r.ip, alias: r.alias, zoneId: r.zone_id });

export function createRtpRepo(db: Db) {
  const all = db.prepare('SELECT * FROM rtp_servers ORDER BY ip');
  const one = db.prepare('SELECT * FROM rtp_servers WHERE id = ?');
  const insert = db.prepare('INSERT INTO rtp_servers (id, ip, alias, zone_id, created_at) VALUES (?, ?, ?, ?, ?)');
  const update = db.prepare('UPDATE rtp_servers SET ip = ?, alias = ?, zone_id = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM rtp_servers WHERE id = ?');
  return {
    list: (): RtpServer[] => (all.all() as Row[]).map(fromRow),
    get: (id: string): RtpServer | null => {
      const row = one.get(id) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    insert: (r: RtpServer, createdAt: number): void => void insert.run(r.id, r.ip, r.alias, r.zoneId, createdAt),
    update: (r: RtpServer): void => void update.run(r.ip, r.alias, r.zoneId, r.id),
    delete: (id: string): boolean => remove.run(id).changes > 0,
  };
}

export type RtpRepo = ReturnType<typeof createRtpRepo>;
