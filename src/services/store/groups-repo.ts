import type { Db } from './database';

/** Zones and clusters share a shape: a named group with a description. */
export interface StoredGroup {
  id: string;
  name: string;
  description: string;
  createdAt: number;
}

interface Row {
  id: string;
  name: string;
  description: string;
  created_at: number;
}

const fromRow = (r: Row): StoredGroup => ({ id: r.id, name: r.name, description: r.description, createdAt: r.created_at });

function createGroupRepo(db: Db, table: 'zones' | 'clusters') {
  const all = db.prepare(`SELECT * FROM ${table} ORDER BY name COLLATE NOCASE`);
  const one = db.prepare(`SELECT * FROM ${table} WHERE id = ?`);
  const insert = db.prepare(`INSERT INTO ${table} (id, name, description, created_at) VALUES (?, ?, ?, ?)`);
  const update = db.prepare(`UPDATE ${table} SET name = ?, description = ? WHERE id = ?`);
  const remove = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  return {
    list: (): StoredGroup[] => (all.all() as Row[]).map(fromRow),
    get: (id: string): StoredGroup | null => {
      const row = one.get(id) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    insert: (g: StoredGroup): void => void insert.run(g.id, g.name, g.description, g.createdAt),
    update: (g: StoredGroup): void => void update.run(g.name, g.description, g.id),
    delete: (id: string): boolean => remove.run(id).changes > 0,
  };
}

export type GroupRepo = ReturnType<typeof createGroupRepo>;

export function createZonesRepo(db: Db): GroupRepo & { usage(id: string): { servers: number; rtp: number } } {
  const usage = db.prepare(
    'SELECT (SELECT count(*) FROM servers WHERE zone_id = ?) AS servers, (SELECT count(*) FROM rtp_servers WHERE zone_id = ?) AS rtp',
  );
  return {
    ...createGroupRepo(db, 'zones'),
    usage: (id) => usage.get(id, id) as { servers: number; rtp: number },
  };
}

export function createClustersRepo(db: Db): GroupRepo & { memberCount(id: string): number } {
  const count = db.prepare('SELECT count(*) AS n FROM servers WHERE cluster_id = ?');
  return {
    ...createGroupRepo(db, 'clusters'),
    memberCount: (id) => (count.get(id) as { n: number }).n,
  };
}
