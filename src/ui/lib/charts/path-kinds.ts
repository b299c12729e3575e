// Which probe kinds a latency chart's path measures. This workstation probes every server by
// SIP OPTIONS and ICMP, so its chart always names both (a gap is news). A vantage server measures
// ICMP always and SIP only where it has a sender and the target speaks SIP (a switch): a path
// with no SIP sample in the range is an ICMP-only path, and its legend must not list SIP.
import type { Series } from '../../../contract/monitoring-methods';
import { LOCAL_SOURCE, type ProbeKind } from '../../../domain/monitoring/sample';

/** What the chart asks the host for: both kinds on every path, so SIP shows the moment it exists. */
export const CHART_KINDS: readonly ProbeKind[] = ['sip-udp', 'icmp'];

export function measuredKinds(series: Series | null, source: string): ProbeKind[] {
  if (source === LOCAL_SOURCE) return [...CHART_KINDS];
  return (series?.points['sip-udp']?.length ?? 0) > 0 ? [...CHART_KINDS] : ['icmp'];
}
