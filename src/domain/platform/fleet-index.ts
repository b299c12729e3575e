import { groupBy } from '../group-by';
import type { PlatformFleet, PlatformServer } from './fleet-shape';

// The fleet looked up by server id and by cluster. Rules that walk every server and ask about its
// failover target, its cluster's members or its cluster's name build this once per call: asked of
// the fleet's arrays, each question is a scan of the whole fleet, and at 10,000 servers a scan per
// server is a hundred million steps.

export interface FleetIndex {
  byId: ReadonlyMap<string, PlatformServer>;
  /** The members of a cluster, in fleet order; none for a cluster without servers. */
  members(clusterId: string): readonly PlatformServer[];
  /** The cluster's name, or its id when the fleet does not list it (as `clusterName`). */
  clusterName(clusterId: string): string;
}

const NO_MEMBERS: readonly PlatformServer[] = [];

export function indexFleet(fleet: PlatformFleet): FleetIndex {
  const byId = new Map(fleet.servers.map((s) => [s.id, s]));
  const byCluster = groupBy(fleet.servers, (s) => s.clusterId);
  const names = new Map<string, string>();
  // The first cluster listed under an id names it, as a search of the list would find it.
  for (const cluster of fleet.clusters) if (!names.has(cluster.id)) names.set(cluster.id, cluster.name);
  return {
    byId,
    members: (clusterId) => byCluster.get(clusterId) ?? NO_MEMBERS,
    clusterName: (clusterId) => names.get(clusterId) ?? clusterId,
  };
}
