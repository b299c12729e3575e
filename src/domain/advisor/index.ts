import type { AdvisorFleet, AdvisorRule, AdvisorSettings, Finding } from './finding';
import { SEVERITY_ORDER } from './finding';
import { certificateExpiry } from './rules/certificate-expiry';
import { capacityInUse } from './rules/capacity-in-use';
import { clusterPortMismatch } from './rules/cluster-port-mismatch';
import { dispatcherDisagrees } from './rules/dispatcher-disagrees';
import { failoverTarget } from './rules/failover-target';
import { locationSharingWithPing } from './rules/location-sharing-with-ping';
import { pendingUpdateManual } from './rules/pending-update-manual';
import { resizePending } from './rules/resize-pending';
import { serverExpiry } from './rules/server-expiry';
import { tcpSipTrace } from './rules/tcp-sip-trace';
import { unclusteredLoadBalancing } from './rules/unclustered-load-balancing';
import { uacNotRegistered } from './rules/uac-not-registered';
import { webrtcTlsIdentity } from './rules/webrtc-tls-identity';
import { mediaZoneDetour } from './rules/media-zone-detour';

export * from './finding';

/** Every rule the advisor runs, in the order their findings are listed within a severity. */
export const ADVISOR_RULES: readonly AdvisorRule[] = [
  unclusteredLoadBalancing,
  webrtcTlsIdentity,
  locationSharingWithPing,
  failoverTarget,
  certificateExpiry,
  serverExpiry,
  clusterPortMismatch,
  pendingUpdateManual,
  tcpSipTrace,
  capacityInUse,
  dispatcherDisagrees,
  resizePending,
  uacNotRegistered,
  mediaZoneDetour,
];

/** All findings for the fleet, errors first. */
export function advise(
  fleet: AdvisorFleet,
  now: number,
  settings: AdvisorSettings,
  rules: readonly AdvisorRule[] = ADVISOR_RULES,
): Finding[] {
  const findings = rules.flatMap((rule) => rule.check(fleet, now, settings));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}
