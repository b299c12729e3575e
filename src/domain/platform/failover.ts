import { clusterName, refOf, type PlatformFleet, type PlatformServer, type ServerRef } from './fleet-shape';

// Capacity failover, as the reference has it: a server at capacity hands the next call to
// another server of its cluster, or blocks it when there is none. This walks each server's
// chain (A full → B, B full → C, …) and says what would stop a call from finding room.

/** Active channels per server id, as read over SSH; absent or null: not known. */
export type ActiveChannels = ReadonlyMap<string, number | null>;

export type FailoverWarningCode = 'no-target' | 'target-missing' | 'target-outside-cluster' | 'target-full' | 'target-load-unknown' | 'loop';

export interface FailoverWarning {
  code: FailoverWarningCode;
  message: string;
}

export interface FailoverPath {
  server: ServerRef;
  clusterId: string | null;
  /** The server, then each target in turn, as far as the chain goes (a loop stops at the repeat). */
  chain: ServerRef[];
  loops: boolean;
  warnings: FailoverWarning[];
}

export interface LoadState {
  state: 'full' | 'room' | 'unknown';
  active: number | null;
}

export function loadState(server: Pick<PlatformServer, 'id' | 'channels'>, active: ActiveChannels): LoadState {
  const value = active.get(server.id);
  if (value === undefined || value === null) return { state: 'unknown', active: null };
  return { state: value >= server.channels ? 'full' : 'room', active: value };
}

function targetOf(server: PlatformServer, byId: ReadonlyMap<string, PlatformServer>): PlatformServer | null {
  if (!server.config.capacityFailover.enabled || server.config.capacityFailover.targetId === null) return null;
  return byId.get(server.config.capacityFailover.targetId) ?? null;
}

export function failoverPath(server: PlatformServer, fleet: PlatformFleet, active: ActiveChannels = new Map()): FailoverPath {
  const byId = new Map(fleet.servers.map((s) => [s.id, s]));
  const warnings: FailoverWarning[] = [];
  const failover = server.config.capacityFailover;
  const peers = server.clusterId === null ? [] : fleet.servers.filter((s) => s.clusterId === server.clusterId && s.id !== server.id);

  const chain: ServerRef[] = [refOf(server)];
  const seen = new Set([server.id]);
  let loops = false;
  for (let at = targetOf(server, byId); at !== null; at = targetOf(at, byId)) {
    chain.push(refOf(at));
    if (seen.has(at.id)) {
      loops = true;
      break;
    }
    seen.add(at.id);
  }

  if (!failover.enabled) {
    const where = server.clusterId === null ? 'it is in no cluster, so no other server can take its calls' : peers.length === 0 ? 'it is the only member of its cluster' : 'capacity failover is off';
    warnings.push({ code: 'no-target', message: `No failover target (${where}): once ${server.alias} is at capacity the next call is blocked.` });
  } else if (failover.targetId === null || !byId.has(failover.targetId)) {
    warnings.push({ code: 'target-missing', message: `Capacity failover is on but its target ${failover.targetId === null ? 'is not set' : 'is no longer in the fleet'}: calls over capacity are blocked.` });
  } else {
    const target = byId.get(failover.targetId)!;
    if (target.clusterId !== server.clusterId || server.clusterId === null) {
      const theirs = target.clusterId === null ? 'no cluster' : `cluster ${clusterName(fleet, target.clusterId)}`;
      warnings.push({ code: 'target-outside-cluster', message: `Failover target ${target.alias} (${target.ip}) is in ${theirs}, not in this server's cluster: it does not share this server's limits and registrations.` });
    }
    const load = loadState(target, active);
    if (load.state === 'full') {
      warnings.push({ code: 'target-full', message: `Failover target ${target.alias} is itself at capacity (${load.active} of ${target.channels} channels): overflow calls would find no room there.` });
    } else if (load.state === 'unknown') {
      warnings.push({ code: 'target-load-unknown', message: `The load of failover target ${target.alias} is unknown, so whether it has room is unknown.` });
    }
  }
  if (loops) {
    warnings.push({ code: 'loop', message: `The failover chain loops: ${chain.map((s) => s.alias).join(' → ')}. When all of them are full a call goes round the loop and is blocked.` });
  }
  return { server: refOf(server), clusterId: server.clusterId, chain, loops, warnings };
}

/** Every server's path, grouped as the fleet is: by cluster name, unclustered last. */
export function failoverPaths(fleet: PlatformFleet, active: ActiveChannels = new Map()): FailoverPath[] {
  const order = (s: PlatformServer) => (s.clusterId === null ? '\uffff' : clusterName(fleet, s.clusterId));
  return [...fleet.servers]
    .sort((a, b) => order(a).localeCompare(order(b)) || a.alias.localeCompare(b.alias))
    .map((s) => failoverPath(s, fleet, active));
}
