import type { ServerStatus } from '../../contract/fleet';
import type { LatestSummary } from '../../contract/monitoring-methods';
import { groupBy } from '../group-by';
import { refOf, type PlatformServer, type ServerRef } from '../platform/fleet-shape';
import type { DestinationState, DsDestination } from './ds-list';
import { sipTarget, type SipTarget } from './sip-uri';

// A dispatcher's destinations beside Switchyard's own probes of the same switches. A destination
// is a fleet server when its host is the server's IP and its port is the server's SIP port for
// that transport. The two views disagree in two ways that matter to calls:
// - the dispatcher marks a switch inactive while Switchyard's probes see it answering: calls
//   that switch could take go elsewhere (or nowhere), usually a path problem between the two;
// - the dispatcher still sends to a switch Switchyard sees down: calls are lost or wait for the
//   dispatcher's own failover.

/** What Switchyard's own probes say of a server. */
export interface OurProbe {
  status: ServerStatus;
  /** Why it is degraded or down, in words; empty when fine. */
  reason: string;
  sipRttMs: number | null;
  sipCode: number | null;
  sipLossPct: number | null;
}

/** Monitoring's latest summary of a server, as the comparison reads it. */
export const ourProbeOf = (p: LatestSummary): OurProbe => ({
  status: p.status,
  reason: p.reason,
  sipRttMs: p.sip?.rttMs ?? null,
  sipCode: p.sip?.code ?? null,
  sipLossPct: p.sipLossPct,
});

export type Disagreement = 'inactive-but-answering' | 'active-but-down';

export interface ComparedDestination extends DsDestination {
  target: SipTarget | null;
  /** The fleet server this destination is; null when none matches. */
  match: (ServerRef & { type: PlatformServer['type'] }) | null;
  /** Why a destination at a fleet server's address did not match it (another port). */
  matchHint: string | null;
  ours: OurProbe | null;
  disagreement: Disagreement | null;
}

const ANSWERING = new Set<ServerStatus>(['online', 'degraded']);
// Trying: Kamailio saw failures but still selects the destination, so it counts as sending.
const SENDING = new Set<DestinationState>(['active', 'trying']);

export function disagreementOf(state: DestinationState | null, ours: OurProbe | null): Disagreement | null {
  if (state === null || ours === null) return null;
  if (state === 'inactive' && ANSWERING.has(ours.status)) return 'inactive-but-answering';
  if (SENDING.has(state) && ours.status === 'down') return 'active-but-down';
  return null;
}

function portFor(server: PlatformServer, target: SipTarget): number | null {
  const ports = server.config.ports;
  switch (target.transport) {
    case 'udp':
    case 'sctp':
      return ports.udp;
    case 'tcp':
      return ports.tcp;
    case 'tls':
      return ports.tls;
    default:
      return null;
  }
}

/** The fleet's servers by the host a SIP URI names them with, each group in fleet order. */
export type ServersByHost = ReadonlyMap<string, readonly PlatformServer[]>;

const hostOf = (ip: string): string =>
  ip
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');

/** Built once for every destination compared (a dispatcher's list, or every dispatcher's). */
export const serversByHost = (servers: readonly PlatformServer[]): ServersByHost => groupBy(servers, (s) => hostOf(s.ip));

export function matchDestination(
  uri: string,
  servers: readonly PlatformServer[],
  byHost: ServersByHost = serversByHost(servers),
): { target: SipTarget | null; match: PlatformServer | null; hint: string | null } {
  const target = sipTarget(uri);
  if (target === null) return { target, match: null, hint: 'The URI could not be read as host and port.' };
  const atHost = byHost.get(target.host) ?? [];
  const match = atHost.find((s) => portFor(s, target) === target.effectivePort) ?? null;
  if (match !== null || atHost.length === 0) return { target, match, hint: null };
  const other = atHost[0] as PlatformServer;
  const theirs = portFor(other, target);
  return {
    target,
    match: null,
    hint: `${target.host} is ${other.alias}, but its SIP ${target.transport.toUpperCase()} port is ${theirs ?? 'not set'}, not ${target.effectivePort}.`,
  };
}

export function compareDestinations(
  destinations: readonly DsDestination[],
  servers: readonly PlatformServer[],
  ours: (serverId: string) => OurProbe | null,
  byHost: ServersByHost = serversByHost(servers),
): ComparedDestination[] {
  return destinations.map((d) => {
    const { target, match, hint } = matchDestination(d.uri, servers, byHost);
    const probe = match === null ? null : ours(match.id);
    return {
      ...d,
      target,
      match: match === null ? null : { ...refOf(match), type: match.type },
      matchHint: hint,
      ours: probe,
      disagreement: disagreementOf(d.state, probe),
    };
  });
}
