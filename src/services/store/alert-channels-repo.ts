// Delivery channels (their non-secret settings) and the routes that send alerts to them.
import type { AlertKind, Severity } from '../../contract/alerts';
import type { ChannelConfig } from '../../contract/alerts-delivery';
import type { Db } from './database';

export interface StoredChannel {
  id: number;
  name: string;
  enabled: boolean;
  config: ChannelConfig;
  /** Scheme and host of a webhook, for display; never its path or query. */
  target: string | null;
  createdAt: number;
  failing: boolean;
  /** Deliveries that failed in a row since the last success. */
  failures: number;
}

export interface StoredRoute {
  id: number;
  channelId: number;
  enabled: boolean;
  severities: Severity[];
  kinds: AlertKind[];
  scope: { level: 'fleet' | 'zone' | 'cluster'; id: string | null };
  notifyResolved: boolean;
}

interface ChannelRow {
  id: number;
  name: string;
  kind: string;
  enabled: number;
  config: string;
  target: string | null;
  created_at: number;
  failing: number;
  failures: number;
}

interface RouteRow {
  id: number;
  channel_id: number;
  enabled: number;
  severities: string;
  kinds: string;
  scope_level: 'fleet' | 'zone' | 'cluster';
  zone_id: string | null;
  cluster_id: string | null;
  notify_resolved: number;
}

const channelOf = (r: ChannelRow): StoredChannel => ({
  id: r.id,
  name: r.name,
  enabled: r.enabled !== 0,
  config: JSON.parse(r.config) as ChannelConfig,
  target: r.target,
  createdAt: r.created_at,
  failing: r.failing !== 0,
  failures: r.failures,
});

const routeOf = (r: RouteRow): StoredRoute => ({
  id: r.id,
  channelId: r.channel_id,
  enabled: r.enabled !== 0,
  severities: JSON.parse(r.severities) as Severity[],
  kinds: JSON.parse(r.kinds) as AlertKind[],
  scope: { level: r.scope_level, id: r.zone_id ?? r.cluster_id },
  notifyResolved: r.notify_resolved !== 0,
});

export function createAlertChannelsRepo(db: Db) {
  const channels = db.prepare('SELECT * FROM alert_channels ORDER BY id');
  const channel = db.prepare('SELECT * FROM alert_channels WHERE id = ?');
  const byName = db.prepare('SELECT id FROM alert_channels WHERE name = ? COLLATE NOCASE').pluck();
  const insertChannel = db.prepare(
    'INSERT INTO alert_channels (name, kind, enabled, config, target, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const updateChannel = db.prepare('UPDATE alert_channels SET name = ?, kind = ?, enabled = ?, config = ?, target = ? WHERE id = ?');
  const deleteChannel = db.prepare('DELETE FROM alert_channels WHERE id = ?');
  const setHealth = db.prepare('UPDATE alert_channels SET failing = ?, failures = ? WHERE id = ?');
  const routes = db.prepare('SELECT * FROM alert_routes ORDER BY id');
  const route = db.prepare('SELECT * FROM alert_routes WHERE id = ?');
  const insertRoute =
    db.prepare(`INSERT INTO alert_routes (channel_id, enabled, severities, kinds, scope_level, zone_id, cluster_id, notify_resolved)
    VALUES (@channelId, @enabled, @severities, @kinds, @level, @zoneId, @clusterId, @notifyResolved)`);
  const updateRoute =
    db.prepare(`UPDATE alert_routes SET channel_id = @channelId, enabled = @enabled, severities = @severities, kinds = @kinds,
    scope_level = @level, zone_id = @zoneId, cluster_id = @clusterId, notify_resolved = @notifyResolved WHERE id = @id`);
  const deleteRoute = db.prepare('DELETE FROM alert_routes WHERE id = ?');

  const routeParams = (r: Omit<StoredRoute, 'id'> & { id?: number }) => ({
    id: r.id ?? null,
    channelId: r.channelId,
    enabled: r.enabled ? 1 : 0,
    severities: JSON.stringify(r.severities),
    kinds: JSON.stringify(r.kinds),
    level: r.scope.level,
    zoneId: r.scope.level === 'zone' ? r.scope.id : null,
    clusterId: r.scope.level === 'cluster' ? r.scope.id : null,
    notifyResolved: r.notifyResolved ? 1 : 0,
  });

  return {
    channels: (): StoredChannel[] => (channels.all() as ChannelRow[]).map(channelOf),
    channel(id: number): StoredChannel | null {
      const row = channel.get(id) as ChannelRow | undefined;
      return row ? channelOf(row) : null;
    },
    channelIdByName: (name: string): number | null => (byName.get(name) as number | undefined) ?? null,
    insertChannel(c: Omit<StoredChannel, 'id' | 'failing' | 'failures'>): StoredChannel {
      const id = Number(
        insertChannel.run(c.name, c.config.kind, c.enabled ? 1 : 0, JSON.stringify(c.config), c.target, c.createdAt).lastInsertRowid,
      );
      return { ...c, id, failing: false, failures: 0 };
    },
    updateChannel(c: Pick<StoredChannel, 'id' | 'name' | 'enabled' | 'config' | 'target'>): void {
      updateChannel.run(c.name, c.config.kind, c.enabled ? 1 : 0, JSON.stringify(c.config), c.target, c.id);
    },
    deleteChannel: (id: number): boolean => deleteChannel.run(id).changes > 0,
    setHealth(id: number, failing: boolean, failures: number): void {
      setHealth.run(failing ? 1 : 0, failures, id);
    },
    routes: (): StoredRoute[] => (routes.all() as RouteRow[]).map(routeOf),
    route(id: number): StoredRoute | null {
      const row = route.get(id) as RouteRow | undefined;
      return row ? routeOf(row) : null;
    },
    insertRoute(r: Omit<StoredRoute, 'id'>): StoredRoute {
      const id = Number(insertRoute.run(routeParams(r)).lastInsertRowid);
      return { ...r, id };
    },
    updateRoute(r: StoredRoute): void {
      updateRoute.run(routeParams(r));
    },
    deleteRoute: (id: number): boolean => deleteRoute.run(id).changes > 0,
  };
}

export type AlertChannelsRepo = ReturnType<typeof createAlertChannelsRepo>;
