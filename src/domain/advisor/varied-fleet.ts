import type { ServerStatus } from '../../contract/fleet';
import type { OurProbe } from '../dispatcher/compare';
import type { DestinationState, DsDestination } from '../dispatcher/ds-list';
import { defaultConfig } from '../fleet/defaults';
import { groupBy } from '../group-by';
import type { KnownLoad } from '../platform/failover';
import type { PlatformServer } from '../platform/fleet-shape';
import type { UacState } from '../uac/reg-state';
import type { AdvisorCertificate, AdvisorFleet } from './finding';

// A generated fleet with every shape the platform rules look at, the same for a given size and
// seed: clusters (large, single-member, empty, unlisted), zones, dispatchers, failover chains,
// loops and broken targets, partly known loads, port drift, location-sharing arrays, certificates,
// pending resizes, dispatchers' views, upstream registrations and media choices. The tests that
// pin the rules' output at scale read it.

const DAY = 86_400_000;
/** The moment the generated fleet is judged at. */
export const VARIED_NOW = Date.UTC(2026, 5, 1, 12);

/** A small deterministic generator (mulberry32): the same seed gives the same fleet everywhere. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const below = (n: number): number => Math.floor(next() * n);
  return { chance: (p: number): boolean => next() < p, below, pick: <T>(items: readonly T[]): T => items[below(items.length)]! };
}

export interface VariedFleet {
  fleet: AdvisorFleet & { loads: Map<string, KnownLoad> };
  /** Registered contacts read per server (the rest use the typed figure). */
  registrations: Map<string, number>;
}

const ZONES = ['us-east', 'us-west', 'eu-west', 'eu-central', 'ap-south', 'sa-east'];

const ipOf = (i: number): string =>
  i % 97 === 5 ? `FD00::${i.toString(16).toUpperCase()}` : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

export function variedFleet(count: number, seed = 1): VariedFleet {
  const r = random(seed);
  const clusterCount = Math.max(3, Math.floor(count / 12));
  const clusters = Array.from({ length: clusterCount }, (_, k) => ({
    id: `c${k}`,
    name: `${r.pick(['core', 'edge', 'pop'])}-${k % 7}-${k}`,
  }));
  // One id servers use that the cluster list lacks: its name falls back to the id.
  const clusterIds = [...clusters.map((c) => c.id), 'c-unlisted'];

  const servers: PlatformServer[] = Array.from({ length: count }, (_, i) => {
    const config = defaultConfig();
    config.disableUacPing = r.chance(0.3);
    config.uacLocationSharing = r.chance(0.2);
    config.anyReg = r.chance(0.1);
    config.tcpSipTrace = r.chance(0.05);
    config.autoUpgrade = r.chance(0.5);
    config.uacAuth = r.chance(0.3);
    config.webrtcTls = r.chance(0.15);
    config.fqdn = r.chance(0.8) ? ` sip${i}.example.net ` : r.pick([null, '', '  ']);
    if (r.chance(0.1)) config.ports[r.pick(['udp', 'tcp', 'tls'] as const)] = r.pick([5080, 5090, 5062]);
    return {
      id: `s${i}`,
      ip: ipOf(i),
      alias: `${r.pick(['sbc', 'sw', 'ds', 'Edge'])}-${(count - i) % 13}-${i}`,
      type: i % 10 === 0 ? 'dispatcher' : 'switch',
      clusterId: r.chance(0.6) ? r.pick(clusterIds) : null,
      zoneId: r.pick(ZONES),
      channels: r.pick([100, 500, 1000, 2500]),
      cps: r.pick([10, 50, 200]),
      expiresAt: r.chance(0.7) ? null : VARIED_NOW + (r.below(60) - 10) * DAY,
      adminState: r.chance(0.9) ? 'running' : 'stopped',
      config,
      updatePending: r.chance(0.2),
    };
  });

  // Failover targets once every server exists: a cluster peer mostly, else any server, a server
  // no longer in the fleet, no target at all, or the server itself.
  const byCluster = groupBy(servers, (s) => s.clusterId);
  for (const s of servers) {
    if (!r.chance(0.6)) continue;
    const peers = s.clusterId === null ? [] : byCluster.get(s.clusterId)!.filter((o) => o.id !== s.id);
    const roll = r.below(20);
    const targetId =
      roll < 14 && peers.length > 0 ? r.pick(peers).id : roll < 16 ? r.pick(servers).id : roll < 17 ? 'gone' : roll < 18 ? null : s.id;
    s.config.capacityFailover = { enabled: true, targetId };
  }

  const level = (limit: number): number | null => (r.chance(0.25) ? null : Math.round(limit * r.pick([0.1, 0.5, 0.79, 0.8, 0.95, 1, 1.2])));
  const loads = new Map<string, KnownLoad>();
  for (const s of servers) if (r.chance(0.7)) loads.set(s.id, { channels: level(s.channels), cps: level(s.cps) });

  const certificates: AdvisorCertificate[] = Array.from({ length: 24 }, (_, k) => ({
    id: `cert${k}`,
    name: `cert-${k}`,
    notAfter: VARIED_NOW + r.pick([-5, 3, 20, 40, 365]) * DAY,
    sans: r.chance(0.7) ? ['*.example.net'] : [`sip${r.below(count)}.example.net`, '192.0.2.1'],
    serverIds: Array.from({ length: 1 + r.below(Math.ceil(count / 8)) }, () => r.pick(servers).id),
  }));

  const resizes = servers
    .filter(() => r.chance(0.03))
    .map((s) => {
      const requestedAt = VARIED_NOW - r.below(30) * 60_000;
      return { serverId: s.id, previousChannels: s.channels, channels: s.channels * 2, requestedAt, activeAt: requestedAt + 15 * 60_000 };
    });

  const STATES: (DestinationState | null)[] = ['active', 'inactive', 'trying', 'disabled', null];
  const destination = (setId: number): DsDestination => {
    const to = r.pick(servers);
    const host = to.ip.includes(':') ? `[${to.ip.toLowerCase()}]` : to.ip;
    const uri = r.pick([
      `sip:${host}:${to.config.ports.udp}`,
      `sip:${host}:${to.config.ports.tcp};transport=tcp`,
      `sips:${host}`,
      `sip:${host}:5999`,
      'sip:198.51.100.7',
      'not a uri',
    ]);
    return { setId, uri, flags: 'AP', state: r.pick(STATES), probing: false, priority: null, attrs: null, weight: null, latency: null };
  };
  const dispatcherViews = servers
    .filter((s) => s.type === 'dispatcher' || r.chance(0.01))
    .map((s) => ({
      serverId: s.id,
      readAt: r.pick([null, VARIED_NOW - 60_000, VARIED_NOW - DAY]),
      destinations: Array.from({ length: r.below(12) }, () => destination(1 + r.below(3))),
    }));
  dispatcherViews.push({ serverId: 'gone', readAt: VARIED_NOW, destinations: [destination(1)] });

  const STATUSES: ServerStatus[] = ['online', 'degraded', 'down', 'unknown', 'stopped'];
  const probes = new Map<string, OurProbe>();
  for (const s of servers) {
    if (!r.chance(0.8)) continue;
    const answered = r.chance(0.6);
    const status = r.pick(STATUSES);
    probes.set(s.id, {
      status,
      reason: status === 'online' ? '' : 'no answer',
      sipRttMs: answered ? r.pick([0.42, 3.5, 48]) : null,
      sipCode: answered ? r.pick([200, 404, null]) : null,
      sipLossPct: r.pick([0, 20, null]),
    });
  }

  const UAC: UacState[] = ['registered', 'registering', 'waiting', 'retrying', 'failed', 'not-loaded'];
  const uac = servers
    .filter(() => r.chance(0.3))
    .map((s) => ({
      serverId: s.id,
      readAt: r.pick([null, VARIED_NOW - 60_000, VARIED_NOW - DAY]),
      upstreams: Array.from({ length: r.below(4) }, (_, k) => ({
        upstreamId: `${s.id}-u${k}`,
        registrar: `reg${k}.carrier.example`,
        username: `acct${k}`,
        state: r.pick(UAC),
        reason: r.pick([null, '403 Forbidden']),
      })),
    }));

  const media = servers
    .filter(() => r.chance(0.2))
    .map((s) => ({
      serverId: s.id,
      mediaZoneId: r.pick([null, ...ZONES]),
      measuredAt: VARIED_NOW - DAY,
      customer: '203.0.113.10',
      carrier: '198.51.100.20',
      zones: ZONES.map((zoneId) => ({ zoneId, zoneName: zoneId.toUpperCase(), pathMs: r.chance(0.1) ? null : 5 + r.below(120) })),
    }));
  if (media[0]) media.push({ ...media[0], serverId: 'gone' });

  const registrations = new Map<string, number>();
  for (const s of servers) if (r.chance(0.5)) registrations.set(s.id, r.below(3000));

  return {
    fleet: {
      servers,
      clusters: [...clusters, { id: 'c-empty', name: 'empty' }],
      loads,
      certificates,
      resizes,
      dispatcherViews,
      probes,
      uac,
      media,
    },
    registrations,
  };
}
