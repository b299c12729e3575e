import { indexFleet, type FleetIndex } from './fleet-index';
import { refOf, type PlatformFleet, type PlatformServer, type ServerRef } from './fleet-shape';

// Capacity failover, as the reference has it: a server at capacity hands the next call to
// another server of its cluster, or blocks it when there is none. This walks each server's
// chain (A full → B, B full → C, …) and says what would stop a call from finding room.

/**
 * What is known of each server's load: active channels (read over SSH by the load poll) and calls
 * per second. Absent or null: not known.
 */
export interface KnownLoad {
  channels: number | null;
  cps: number | null;
}
export type ServerLoads = ReadonlyMap<string, KnownLoad>;

export type FailoverWarningCode =
  'no-target' | 'target-missing' | 'target-outside-cluster' | 'target-full' | 'target-load-unknown' | 'loop';

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
  /** 'full': at its channel or CPS limit; 'room': below both; 'unknown': neither full nor both known. */
  state: 'full' | 'room' | 'unknown';
  active: number | null;
  cps: number | null;
  /** The limits it has reached. */
  reached: ('channels' | 'cps')[];
}

// The reference: a server reaches capacity "based on the allowed CPS and Channels": either limit
// reached is full. It has room only when both are known to be below their limits.
export function loadState(server: Pick<PlatformServer, 'id' | 'channels' | 'cps'>, loads: ServerLoads): LoadState {
  const known = loads.get(server.id);
  const active = known?.channels ?? null;
  const cps = known?.cps ?? null;
  const reached: LoadState['reached'] = [];
  if (active !== null && active >= server.channels) reached.push('channels');
  if (cps !== null && cps >= server.cps) reached.push('cps');
  const state = reached.length > 0 ? 'full' : active !== null && cps !== null ? 'room' : 'unknown';
  return { state, active, cps, reached };
}

function loadWarning(target: PlatformServer, load: LoadState): FailoverWarning | null {
  const channels = `${load.active} of ${target.channels} channels`;
  const cps = `${load.cps} of ${target.cps} CPS`;
  if (load.state === 'full') {
    const what = load.reached.map((r) => (r === 'channels' ? channels : cps)).join(' and ');
    return {
      code: 'target-full',
      message: `Failover target ${target.alias} is itself at capacity (${what}): overflow calls would find no room there.`,
    };
  }
  if (load.state === 'room') return null;
  const message =
    load.active !== null
      ? `Failover target ${target.alias} has room on channels (${channels}), but its calls per second are not known: whether it is at its ${target.cps} CPS limit is unknown.`
      : load.cps !== null
        ? `Failover target ${target.alias} is below its CPS limit (${cps}), but its active channels are not known: whether it is at its ${target.channels}-channel limit is unknown.`
        : `The load of failover target ${target.alias} is not known (neither active channels nor calls per second), so whether it has room for overflow calls is unknown.`;
  return { code: 'target-load-unknown', message };
}

function targetOf(server: PlatformServer, byId: ReadonlyMap<string, PlatformServer>): PlatformServer | null {
  if (!server.config.capacityFailover.enabled || server.config.capacityFailover.targetId === null) return null;
  return byId.get(server.config.capacityFailover.targetId) ?? null;
}

/**
 * One server's path. A caller walking many servers passes the fleet's index, built once, so each
 * path looks its targets and its cluster up instead of scanning the fleet.
 */
export function failoverPath(
  server: PlatformServer,
  fleet: PlatformFleet,
  loads: ServerLoads = new Map(),
  index: FleetIndex = indexFleet(fleet),
): FailoverPath {
  const { byId } = index;
  const warnings: FailoverWarning[] = [];
  const failover = server.config.capacityFailover;

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
    const where =
      server.clusterId === null
        ? 'it is in no cluster, so no other server can take its calls'
        : !index.members(server.clusterId).some((s) => s.id !== server.id)
          ? 'it is the only member of its cluster'
          : 'capacity failover is off';
    warnings.push({
      code: 'no-target',
      message: `No failover target (${where}): once ${server.alias} is at capacity the next call is blocked.`,
    });
  } else if (failover.targetId === null || !byId.has(failover.targetId)) {
    warnings.push({
      code: 'target-missing',
      message: `Capacity failover is on but its target ${failover.targetId === null ? 'is not set' : 'is no longer in the fleet'}: calls over capacity are blocked.`,
    });
  } else {
    const target = byId.get(failover.targetId)!;
    if (target.clusterId !== server.clusterId || server.clusterId === null) {
      const theirs = target.clusterId === null ? 'no cluster' : `cluster ${index.clusterName(target.clusterId)}`;
      warnings.push({
        code: 'target-outside-cluster',
        message: `Failover target ${target.alias} (${target.ip}) is in ${theirs}, not in this server's cluster: it does not share this server's limits and registrations.`,
      });
    }
    const warning = loadWarning(target, loadState(target, loads));
    if (warning) warnings.push(warning);
  }
  if (loops) {
    warnings.push({
      code: 'loop',
      message: `The failover chain loops: ${chain.map((s) => s.alias).join(' → ')}. When all of them are full a call goes round the loop and is blocked.`,
    });
  }
  return { server: refOf(server), clusterId: server.clusterId, chain, loops, warnings };
}

// The order `localeCompare` gives (the default locale's collation), from one collator for the whole sort.
const collate = new Intl.Collator().compare;

/** Every server's path, grouped as the fleet is: by cluster name, unclustered last. */
export function failoverPaths(fleet: PlatformFleet, loads: ServerLoads = new Map()): FailoverPath[] {
  const index = indexFleet(fleet);
  return fleet.servers
    .map((server) => ({ server, group: server.clusterId === null ? '\uffff' : index.clusterName(server.clusterId) }))
    .sort((a, b) => collate(a.group, b.group) || collate(a.server.alias, b.server.alias))
    .map(({ server }) => failoverPath(server, fleet, loads, index));
}
