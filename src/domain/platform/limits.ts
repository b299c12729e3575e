import type { ServerType } from '../../contract/fleet';
import { invalid } from '../errors';
import { defaultConfig } from '../fleet/defaults';
import { isExpired } from '../fleet/status';
import { clusterName, refOf, type PlatformFleet, type PlatformServer, type ServerRef } from './fleet-shape';

// The reference's rule: a rate limit set for a customer is shared by a cluster and applied per
// server otherwise. Joe allowed 10 CPS gets 10 CPS in total through a cluster, but 10 through
// each unclustered server: 20 through two. A group can never pass more than its servers carry,
// and a server that is stopped or whose test period ended carries nothing.

export interface Allowance {
  cps: number;
  channels: number;
}

export type CappedBy = 'allowance' | 'capacity';

export interface LimitGroup {
  /** A cluster shares one limit; an unclustered server has its own. */
  kind: 'cluster' | 'server';
  /** The cluster's id, or the server's. */
  id: string;
  name: string;
  servers: ServerRef[];
  /** Members able to take calls (not stopped, not expired). */
  inService: number;
  capacityCps: number;
  capacityChannels: number;
  /** What the customer can actually reach through this group. */
  effectiveCps: number;
  effectiveChannels: number;
  cpsCappedBy: CappedBy;
  channelsCappedBy: CappedBy;
}

export interface LimitsReport {
  allowance: Allowance;
  groups: LimitGroup[];
  /** What the customer can reach through the whole fleet at once. */
  totalCps: number;
  totalChannels: number;
  /** totalCps / allowed CPS: 1 means the limit holds; 2 means it is doubled. */
  cpsMultiplier: number;
  channelsMultiplier: number;
  exceedsAllowance: boolean;
}

export function inService(server: Pick<PlatformServer, 'adminState' | 'expiresAt'>, now: number): boolean {
  return server.adminState === 'running' && !isExpired(server.expiresAt, now);
}

function group(
  kind: LimitGroup['kind'],
  id: string,
  name: string,
  members: readonly PlatformServer[],
  allowance: Allowance,
  now: number,
): LimitGroup {
  const live = members.filter((s) => inService(s, now));
  const capacityCps = live.reduce((sum, s) => sum + s.cps, 0);
  const capacityChannels = live.reduce((sum, s) => sum + s.channels, 0);
  return {
    kind,
    id,
    name,
    servers: members.map(refOf),
    inService: live.length,
    capacityCps,
    capacityChannels,
    effectiveCps: Math.min(allowance.cps, capacityCps),
    effectiveChannels: Math.min(allowance.channels, capacityChannels),
    cpsCappedBy: capacityCps < allowance.cps ? 'capacity' : 'allowance',
    channelsCappedBy: capacityChannels < allowance.channels ? 'capacity' : 'allowance',
  };
}

export function checkAllowance(allowance: Allowance): void {
  for (const key of ['cps', 'channels'] as const) {
    const value = allowance[key];
    if (!Number.isInteger(value) || value < 1)
      throw invalid(
        key,
        `The customer's allowed ${key === 'cps' ? 'CPS' : 'channels'} must be a whole number of at least 1, not ${value}.`,
      );
  }
}

/** Effective limits per cluster (one shared limit) and per unclustered server (one limit each). */
export function effectiveLimits(fleet: PlatformFleet, allowance: Allowance, now: number): LimitsReport {
  checkAllowance(allowance);
  const groups: LimitGroup[] = [];
  const byCluster = new Map<string, PlatformServer[]>();
  for (const server of fleet.servers) {
    if (server.clusterId === null) continue;
    const list = byCluster.get(server.clusterId) ?? [];
    list.push(server);
    byCluster.set(server.clusterId, list);
  }
  for (const [clusterId, members] of byCluster) {
    groups.push(group('cluster', clusterId, clusterName(fleet, clusterId), members, allowance, now));
  }
  groups.sort((a, b) => a.name.localeCompare(b.name));
  const single = fleet.servers.filter((s) => s.clusterId === null).map((s) => group('server', s.id, s.alias, [s], allowance, now));
  single.sort((a, b) => a.name.localeCompare(b.name));
  groups.push(...single);
  const totalCps = groups.reduce((sum, g) => sum + g.effectiveCps, 0);
  const totalChannels = groups.reduce((sum, g) => sum + g.effectiveChannels, 0);
  return {
    allowance,
    groups,
    totalCps,
    totalChannels,
    cpsMultiplier: totalCps / allowance.cps,
    channelsMultiplier: totalChannels / allowance.channels,
    exceedsAllowance: totalCps > allowance.cps || totalChannels > allowance.channels,
  };
}

// ---- the what-if calculator ----

/** An existing cluster, or one the change would create. */
export type ClusterRef = { id: string } | { newName: string };

export type FleetChange =
  | { op: 'add'; alias: string; type: ServerType; cps: number; channels: number; cluster: ClusterRef | null }
  | { op: 'remove'; serverId: string }
  | { op: 'cluster'; serverIds: string[]; cluster: ClusterRef | null };

export interface Calculation {
  before: LimitsReport;
  after: LimitsReport;
}

/** The fleet as it would be after the changes, in order. Nothing real is touched. */
export function applyChanges(fleet: PlatformFleet, changes: readonly FleetChange[]): PlatformFleet {
  let servers = [...fleet.servers];
  const clusters = [...fleet.clusters];
  const resolveCluster = (ref: ClusterRef | null, field: string): string | null => {
    if (ref === null) return null;
    if ('id' in ref) {
      if (!clusters.some((c) => c.id === ref.id)) throw invalid(field, `Cluster ${ref.id} does not exist.`);
      return ref.id;
    }
    const name = ref.newName.trim();
    if (name === '') throw invalid(field, 'A new cluster needs a name.');
    const existing = clusters.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (existing) return existing.id;
    const id = `planned-cluster-${clusters.length + 1}`;
    clusters.push({ id, name });
    return id;
  };
  const known = (id: string, field: string): PlatformServer => {
    const found = servers.find((s) => s.id === id);
    if (!found) throw invalid(field, `Server ${id} is not in the fleet (or was already removed by an earlier change).`);
    return found;
  };
  changes.forEach((change, i) => {
    const at = `changes.${i}`;
    if (change.op === 'add') {
      for (const key of ['cps', 'channels'] as const) {
        if (!Number.isInteger(change[key]) || change[key] < 1)
          throw invalid(`${at}.${key}`, `A planned server needs ${key === 'cps' ? 'CPS' : 'channels'} of at least 1.`);
      }
      const alias = change.alias.trim() || `planned-${i + 1}`;
      servers.push({
        id: `planned-${i + 1}`,
        ip: 'planned',
        alias,
        type: change.type,
        clusterId: resolveCluster(change.cluster, `${at}.cluster`),
        zoneId: '',
        channels: change.channels,
        cps: change.cps,
        expiresAt: null,
        adminState: 'running',
        config: defaultConfig(),
        updatePending: false,
      });
    } else if (change.op === 'remove') {
      known(change.serverId, `${at}.serverId`);
      servers = servers.filter((s) => s.id !== change.serverId);
    } else {
      if (change.serverIds.length === 0) throw invalid(`${at}.serverIds`, 'Pick at least one server to cluster or uncluster.');
      change.serverIds.forEach((id, j) => known(id, `${at}.serverIds.${j}`));
      const clusterId = resolveCluster(change.cluster, `${at}.cluster`);
      const ids = new Set(change.serverIds);
      servers = servers.map((s) => (ids.has(s.id) ? { ...s, clusterId } : s));
    }
  });
  return { servers, clusters };
}

export function calculate(fleet: PlatformFleet, changes: readonly FleetChange[], allowance: Allowance, now: number): Calculation {
  return { before: effectiveLimits(fleet, allowance, now), after: effectiveLimits(applyChanges(fleet, changes), allowance, now) };
}
