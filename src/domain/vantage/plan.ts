// Which servers probe from their own vantage point, and what each of them probes. Pure: the
// fleet and the settings in, one plan out, so the service only compares plans and restarts the
// streams whose plan changed.
import type { VantageSettings } from '../../contract/vantage-methods';

export interface PlanServer {
  id: string;
  ip: string;
  alias: string;
  type: 'dispatcher' | 'switch';
  clusterId: string | null;
  adminState: 'running' | 'stopped';
  /** The server's SIP ports (Server Config); a switch target gets OPTIONS on its UDP port. */
  config?: { ports: { udp: number } };
}

export interface PlanRtp {
  id: string;
  ip: string;
  alias: string;
}

export interface PlanTarget {
  /** The series id its samples are stored under. */
  id: string;
  kind: 'switch' | 'rtp' | 'address';
  address: string;
  label: string;
  /**
   * Where SIP OPTIONS go from the vantage server, or null for ICMP only. Switches are SIP servers
   * of the fleet, so they get OPTIONS on their UDP port; RTP servers carry media, not SIP, and an
   * added address (a customer's router, a carrier's SBC) is not known to answer SIP: both are
   * probed by ICMP only rather than charted as 100 % SIP loss.
   */
  sipPort: number | null;
}

export interface SourcePlan {
  serverId: string;
  targets: PlanTarget[];
}

/** Series ids of targets that are not fleet servers; `_` never appears in a server's UUID. */
export const rtpTargetId = (rtpId: string): string => `rtp_${rtpId}`;
export const addressTargetId = (n: number): string => `addr_${n}`;

/** The reference's default UDP SIP port, for a server record without Server Config. */
const DEFAULT_SIP_PORT = 5060;

export interface StoredTarget {
  id: number;
  address: string;
  label: string;
}

/**
 * The vantage servers and their targets. A stopped server probes nothing (the operator stopped
 * it); a server never probes itself; targets with the same address are probed once and stored
 * under each of their ids, so the plan keeps them all.
 */
export function planVantage(
  settings: VantageSettings,
  servers: readonly PlanServer[],
  rtp: readonly PlanRtp[],
  extra: readonly StoredTarget[],
): SourcePlan[] {
  if (!settings.enabled) return [];
  const chosen = new Set(settings.chosen);
  const sources = servers.filter(
    (s) => s.adminState === 'running' && (settings.sources === 'dispatchers' ? s.type === 'dispatcher' : chosen.has(s.id)),
  );
  return sources.map((source) => {
    const targets: PlanTarget[] = [];
    if (settings.switches && source.clusterId !== null) {
      for (const s of servers) {
        if (s.id !== source.id && s.type === 'switch' && s.clusterId === source.clusterId)
          targets.push({ id: s.id, kind: 'switch', address: s.ip, label: s.alias, sipPort: s.config?.ports.udp ?? DEFAULT_SIP_PORT });
      }
    }
    if (settings.rtp)
      for (const r of rtp) targets.push({ id: rtpTargetId(r.id), kind: 'rtp', address: r.ip, label: r.alias, sipPort: null });
    for (const t of extra) targets.push({ id: addressTargetId(t.id), kind: 'address', address: t.address, label: t.label, sipPort: null });
    targets.sort((a, b) => a.id.localeCompare(b.id));
    return { serverId: source.id, targets };
  });
}

/** What makes two plans of one source run the same fping and SIP loop: addresses, SIP ports, period. */
export function planKey(plan: SourcePlan, intervalMs: number): string {
  return `${intervalMs}|${plan.targets.map((t) => `${t.id}=${t.address}${t.sipPort === null ? '' : `/${t.sipPort}`}`).join(',')}`;
}

/** Reconnect delays: 1 s, 2 s, 4 s … up to a minute, so a server that is down costs one attempt a minute. */
export function backoffMs(attempt: number, baseMs = 1_000, maxMs = 60_000): number {
  if (attempt <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 20));
}
