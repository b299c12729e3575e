import { serverIndex, type FleetContext } from '../../domain/fleet/rules';
import type { StoredServer } from '../store/servers-repo';
import type { Store } from '../store/store';
import { newId } from './context';

// What an import checks each row against, read from the store once and kept up to date as rows
// are inserted. Reading the fleet again for every row (and scanning it for clashes) made an
// import quadratic: about 15 s for 1,000 servers and far longer for 10,000.

export interface ImportContext {
  /** The zone or cluster of that name (any case), created when there is none. */
  group(kind: 'zones' | 'clusters', name: string, description?: string): string;
  /** The fleet as the rules see it, with lookups by address, alias and id. */
  readonly fleet: FleetContext;
  /** A server inserted by this import joins the fleet the next rows are checked against. */
  added(server: StoredServer): void;
  /** A server by alias (any case) or exact IP, among the fleet and the rows inserted so far. */
  serverNamed(aliasOrIp: string): { id: string } | undefined;
}

export function importContext(store: Store, createdAt: () => number): ImportContext {
  const servers: StoredServer[] = store.servers.list();
  const index = serverIndex(servers);
  const zones = store.zones.list();
  const clusters = store.clusters.list();
  const groups = {
    zones: new Map(zones.map((g) => [g.name.toLowerCase(), g.id])),
    clusters: new Map(clusters.map((g) => [g.name.toLowerCase(), g.id])),
  };
  return {
    group(kind, name, description = '') {
      const key = name.trim().toLowerCase();
      const existing = groups[kind].get(key);
      if (existing !== undefined) return existing;
      const id = newId();
      const group = { id, name: name.trim(), description, createdAt: createdAt() };
      (kind === 'zones' ? store.zones : store.clusters).insert(group);
      (kind === 'zones' ? zones : clusters).push(group);
      groups[kind].set(key, id);
      return id;
    },
    fleet: { servers, zones, clusters, index },
    added(server) {
      servers.push(server);
      index.add(server);
    },
    serverNamed: (aliasOrIp) => index.byAlias(aliasOrIp) ?? index.byIp(aliasOrIp),
  };
}
