// "Down" alone hides what is down. A server whose SIP fails while its host still answers ICMP
// (a crashed or firewalled SIP daemon: log in and look) is not the same incident as one that
// answers nothing (a dead host or a cut path: call the carrier). One rule for the fleet table,
// the hover card, the Overview tiles and the events, so they can never disagree.
import type { MonitorStatus } from './status';

export type Reachability = 'sip-down-host-up' | 'unreachable';

export interface ReachabilityInput {
  status: MonitorStatus;
  /** The last ICMP probe; null when ICMP is not probed (no fping or ping on this host). */
  icmp: { rttMs: number | null } | null;
}

/**
 * Only for a down server: whether its host answered the last ICMP echo. Null when the server is
 * not down, or when no ICMP probe has run (nothing is known about the host, so "Down" stays).
 */
export function reachabilityOf(input: ReachabilityInput): Reachability | null {
  if (input.status !== 'down' || input.icmp === null) return null;
  return input.icmp.rttMs === null ? 'unreachable' : 'sip-down-host-up';
}

/** Each status in words, as chips, filters and labels name it. */
export const STATUS_LABEL: Readonly<Record<MonitorStatus, string>> = {
  online: 'Online',
  degraded: 'Degraded',
  down: 'Down',
  expired: 'Expired',
  stopped: 'Stopped',
  unknown: 'Unknown',
};

const REACH_LABEL: Readonly<Record<Reachability, string>> = { 'sip-down-host-up': 'SIP down, host up', unreachable: 'Unreachable' };

/** The status in words, as the table, card, tiles and events show it ("SIP down, host up"). */
export function statusLabel(status: MonitorStatus, reach: Reachability | null = null): string {
  return status === 'down' && reach !== null ? REACH_LABEL[reach] : STATUS_LABEL[status];
}

/** What a tooltip adds to the label: which probes answer. */
export function reachabilityHint(reach: Reachability | null): string {
  if (reach === 'sip-down-host-up') return 'SIP does not answer, but the host answers ICMP echo: the SIP service is down or blocked.';
  if (reach === 'unreachable') return 'Neither SIP nor ICMP echo answers: the host or the path to it is down.';
  return '';
}
