import type { Server } from '../../contract/fleet';

// What the platform rules read of the fleet: the servers as the inventory holds them and the
// clusters' names. Pure data, so the rules run the same in the host, the CLI and the UI.

export type PlatformServer = Pick<
  Server,
  'id' | 'ip' | 'alias' | 'type' | 'clusterId' | 'zoneId' | 'channels' | 'cps' | 'expiresAt' | 'adminState' | 'config' | 'updatePending'
>;

export interface PlatformCluster {
  id: string;
  name: string;
}

export interface PlatformFleet {
  servers: readonly PlatformServer[];
  clusters: readonly PlatformCluster[];
}

/** How a finding or a figure names a server: the stable id for links, the IP and alias for people. */
export interface ServerRef {
  id: string;
  ip: string;
  alias: string;
}

export function refOf(server: Pick<PlatformServer, 'id' | 'ip' | 'alias'>): ServerRef {
  return { id: server.id, ip: server.ip, alias: server.alias };
}

export function clusterName(fleet: PlatformFleet, clusterId: string): string {
  return fleet.clusters.find((c) => c.id === clusterId)?.name ?? clusterId;
}
