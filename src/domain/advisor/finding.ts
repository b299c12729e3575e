import type { PlatformFleet, ServerRef } from '../platform/fleet-shape';
import type { OurProbe } from '../dispatcher/compare';
import type { DsDestination } from '../dispatcher/ds-list';
import type { ServerLoads } from '../platform/failover';
import type { PendingResize } from '../platform/pending-resize';
import type { UacState } from '../uac/reg-state';

// What the advisor says about a fleet: one finding per problem, naming the servers, the rule,
// the platform's reasoning and the fix, and the form field that fixes it.

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  rule: string;
  severity: Severity;
  servers: ServerRef[];
  message: string;
  why: string;
  fix: string;
  /** The server form's field to open (`config.fqdn`, `expiresAt`), or null when none applies. */
  field: string | null;
}

/** A certificate as the advisor needs it; absent when no certificate data exists yet. */
export interface AdvisorCertificate {
  id: string;
  name: string;
  /** End of validity, UTC ms. */
  notAfter: number;
  /** DNS names (and IPs) the certificate covers. */
  sans: readonly string[];
  /** Servers it is assigned to. */
  serverIds: readonly string[];
}

export interface AdvisorFleet extends PlatformFleet {
  certificates?: readonly AdvisorCertificate[];
  /** Measured channels in use and calls per second (recent load polls); absent: not measured. */
  loads?: ServerLoads;
  /** Each dispatcher's last read of its own destinations. */
  dispatcherViews?: readonly AdvisorDispatcherView[];
  /** Switchyard's own probes of each server now. */
  probes?: ReadonlyMap<string, OurProbe>;
  /** Resize Capacity runs not active yet (the servers above already carry their previous size). */
  resizes?: readonly PendingResize[];
  /** UAC Auth: each server's upstream registrations as last read from its Kamailio. */
  uac?: readonly AdvisorUacRead[];
  /** Each server's media zone beside the last Media path measurement made for it. */
  media?: readonly AdvisorMediaChoice[];
}

/** A server's media zone (null: automatic) and the zones' media paths as last measured for it. */
export interface AdvisorMediaChoice {
  serverId: string;
  mediaZoneId: string | null;
  measuredAt: number;
  customer: string;
  carrier: string;
  zones: readonly { zoneId: string; zoneName: string; pathMs: number | null }[];
}

/** A server's upstream registrations as last read (`kamcmd uac.reg_dump`). */
export interface AdvisorUacRead {
  serverId: string;
  /** Null before the first good read. */
  readAt: number | null;
  upstreams: readonly { upstreamId: string; registrar: string; username: string; state: UacState; reason: string | null }[];
}

/** What a dispatcher said of its destinations when it was last read. */
export interface AdvisorDispatcherView {
  serverId: string;
  /** Null before the first good read. */
  readAt: number | null;
  destinations: readonly DsDestination[];
}

export interface AdvisorSettings {
  expiringSoonDays: number;
}

export interface AdvisorRule {
  id: string;
  title: string;
  check(fleet: AdvisorFleet, now: number, settings: AdvisorSettings): Finding[];
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
