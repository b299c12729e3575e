import { indexFleet } from './fleet-index';
import { refOf, type PlatformFleet, type PlatformServer, type ServerRef } from './fleet-shape';

// NAT keepalive overhead. A UAC registered over UDP behind NAT keeps its port mapping only while
// traffic flows, so the platform pings every registered UAC (OPTIONS, answered by the UAC) every
// second unless "Disable UAC Ping" is set. In a cluster registrations are shared and each is
// pinged once. In an array of unclustered servers with UAC Location Array Sharing, every sharing
// server knows (and pings) the whole array's registrations: N servers, N times the pings.

/** The reference: UAC ping runs every second. */
export const DEFAULT_KEEPALIVE_INTERVAL_SEC = 1;

export interface KeepaliveInput {
  /** Registered user locations per server id, as read from the servers; servers not listed use `defaultRegistrations`. */
  registrations?: ReadonlyMap<string, number>;
  defaultRegistrations: number;
  intervalSec?: number;
}

export interface ServerKeepalive {
  server: ServerRef;
  registrations: number;
  /** 'read': the count came from the server; 'typed': it could not be, the typed figure stands in. */
  source: 'read' | 'typed';
  uacPing: boolean;
  /** Registrations this server pings: its own, or the whole array's when it shares locations. */
  pinged: number;
  pingsPerSecond: number;
}

export interface GroupKeepalive {
  kind: 'cluster' | 'array' | 'single';
  name: string;
  servers: ServerRef[];
  registrations: number;
  pingsPerSecond: number;
  /** What the same servers would send as one cluster (each registration pinged once). */
  asClusterPerSecond: number;
}

export interface KeepaliveAdvice {
  code: 'array-disable-ping' | 'array-cluster' | 'anyreg-ping-not-needed' | 'ping-off-nat';
  severity: 'info' | 'warning';
  servers: ServerRef[];
  message: string;
}

export interface KeepaliveReport {
  intervalSec: number;
  servers: ServerKeepalive[];
  groups: GroupKeepalive[];
  /** OPTIONS pings per second over the fleet; each is answered, so messages are twice this. */
  totalPingsPerSecond: number;
  advice: KeepaliveAdvice[];
}

const round = (n: number) => Math.round(n * 100) / 100;

export function keepaliveOverhead(fleet: PlatformFleet, input: KeepaliveInput): KeepaliveReport {
  const interval = input.intervalSec ?? DEFAULT_KEEPALIVE_INTERVAL_SEC;
  const regs = (s: PlatformServer) => Math.max(0, input.registrations?.get(s.id) ?? input.defaultRegistrations);
  const array = fleet.servers.filter((s) => s.clusterId === null && s.config.uacLocationSharing);
  const arrayRegs = array.reduce((sum, s) => sum + regs(s), 0);
  const inArray = array.length > 1 ? new Set(array.map((s) => s.id)) : new Set<string>();

  const servers: ServerKeepalive[] = fleet.servers.map((s) => {
    const uacPing = !s.config.disableUacPing;
    const pinged = inArray.has(s.id) ? arrayRegs : regs(s);
    const source = input.registrations?.has(s.id) ? 'read' : 'typed';
    return { server: refOf(s), registrations: regs(s), source, uacPing, pinged, pingsPerSecond: uacPing ? round(pinged / interval) : 0 };
  });
  const rate = new Map(servers.map((k) => [k.server.id, k.pingsPerSecond]));
  const sumRate = (members: readonly PlatformServer[]) => round(members.reduce((sum, s) => sum + (rate.get(s.id) ?? 0), 0));
  const asCluster = (members: readonly PlatformServer[]) =>
    round(members.filter((s) => !s.config.disableUacPing).reduce((sum, s) => sum + regs(s), 0) / interval);

  const index = indexFleet(fleet);
  const groups: GroupKeepalive[] = [];
  for (const cluster of fleet.clusters) {
    const members = index.members(cluster.id);
    if (members.length === 0) continue;
    groups.push({
      kind: 'cluster',
      name: index.clusterName(cluster.id),
      servers: members.map(refOf),
      registrations: members.reduce((n, s) => n + regs(s), 0),
      pingsPerSecond: sumRate(members),
      asClusterPerSecond: asCluster(members),
    });
  }
  if (inArray.size > 0) {
    groups.push({
      kind: 'array',
      name: 'Location-sharing array',
      servers: array.map(refOf),
      registrations: arrayRegs,
      pingsPerSecond: sumRate(array),
      asClusterPerSecond: asCluster(array),
    });
  }
  for (const s of fleet.servers.filter((x) => x.clusterId === null && !inArray.has(x.id))) {
    groups.push({
      kind: 'single',
      name: s.alias,
      servers: [refOf(s)],
      registrations: regs(s),
      pingsPerSecond: sumRate([s]),
      asClusterPerSecond: sumRate([s]),
    });
  }
  return {
    intervalSec: interval,
    servers,
    groups,
    totalPingsPerSecond: round(servers.reduce((n, k) => n + k.pingsPerSecond, 0)),
    advice: advise(fleet, groups, servers),
  };
}

function advise(fleet: PlatformFleet, groups: GroupKeepalive[], servers: ServerKeepalive[]): KeepaliveAdvice[] {
  const advice: KeepaliveAdvice[] = [];
  const arr = groups.find((g) => g.kind === 'array');
  const inArr = new Set(arr?.servers.map((s) => s.id));
  const pinging = servers.filter((k) => inArr.has(k.server.id) && k.uacPing);
  if (arr && pinging.length > 0 && arr.pingsPerSecond > arr.asClusterPerSecond) {
    advice.push({
      code: 'array-disable-ping',
      severity: 'warning',
      servers: pinging.map((k) => k.server),
      message: `These servers share the location array with UAC ping on: together they send ${arr.pingsPerSecond} pings/s where one cluster would send ${arr.asClusterPerSecond}. With location sharing on, the platform advises disabling UAC ping on them for a performance gain.`,
    });
    advice.push({
      code: 'array-cluster',
      severity: 'info',
      servers: arr.servers,
      message:
        "Clustering these servers (or registering users on one registration server) shares registrations without the array's extra keepalive traffic: the recommended fix for ping overhead.",
    });
  }
  const anyReg = fleet.servers.filter((s) => s.config.anyReg && !s.config.disableUacPing);
  if (anyReg.length > 0) {
    advice.push({
      code: 'anyreg-ping-not-needed',
      severity: 'info',
      servers: anyReg.map(refOf),
      message: 'AnyReg takes registrations from AnyEdge, which makes the UAC ping options unnecessary: UAC ping can be disabled here.',
    });
  }
  const off = servers.filter((k) => !k.uacPing && k.registrations > 0);
  if (off.length > 0) {
    advice.push({
      code: 'ping-off-nat',
      severity: 'info',
      servers: off.map((k) => k.server),
      message:
        "UAC ping is disabled here: UDP registrations behind NAT rely on the phones' own keepalives, or their NAT mapping times out and calls to them fail.",
    });
  }
  return advice;
}
