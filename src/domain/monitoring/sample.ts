import { PROBE_KINDS as PROBE_KIND_NAMES, type ProbeKind } from '../../contract/probe-kinds';

// The kinds are declared once, in the contract's probe-kinds.ts; these names are kept for their users.
export { PROBE_KINDS, SIP_KINDS, type ProbeKind } from '../../contract/probe-kinds';

/** What a probe measured once. Plain data, so any sink (SQLite, events, a future exporter) takes it. */
export interface Sample {
  serverId: string;
  kind: ProbeKind;
  /** When the probe was sent, UTC milliseconds. */
  at: number;
  /** Round-trip time; null when the probe was lost (no answer before the deadline, refused, unreachable). */
  rttMs: number | null;
  /** The SIP status code of the final response, when there was one. */
  code?: number;
  /** Who measured it: absent or 'local' for this workstation, else the id of the vantage server. */
  source?: string;
}

/** The source of the workstation's own probes. */
export const LOCAL_SOURCE = 'local';

export function isProbeKind(value: unknown): value is ProbeKind {
  return typeof value === 'string' && (PROBE_KIND_NAMES as readonly string[]).includes(value);
}

/**
 * A final SIP response proves the server is alive whatever its code (a 302 is how a full server
 * hands calls to its failover); 5xx and 6xx say it is alive but not well, so they are flagged.
 */
export function isFlaggedCode(code: number | undefined): boolean {
  return code !== undefined && code >= 500;
}
