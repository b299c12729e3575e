import type { ProbeKind } from '../../domain/monitoring/sample';

/** What a check needs to reach one server. */
export interface ProbeTarget {
  serverId: string;
  /** IP address or host name. */
  host: string;
  port: number;
  /** Our own deadline: no answer by then is a loss. */
  deadlineMs: number;
  /** How often this server is probed; the ICMP backend paces its own loop by it. */
  intervalMs: number;
  /** TLS only: SHA-256 fingerprint of a self-signed certificate the user accepted (hex, colons optional). */
  tlsPinSha256?: string | null;
  /** TLS only: the name to verify the certificate against when `host` is an address. */
  tlsServername?: string | null;
}

export interface ProbeResult {
  /** Round-trip milliseconds; null is a loss. */
  rttMs: number | null;
  /** SIP status code of the final response. */
  code?: number;
  /** Why it was lost, for hover details and logs ("refused", "timeout", "certificate not trusted"). */
  error?: string;
  /** When the probe left, UTC ms, when the check knows better than its caller (fping's own loop). */
  at?: number;
}

/**
 * One kind of probe. `check` never throws for a network failure (that is a loss with an error);
 * it rejects only when `signal` aborts. `release` forgets per-server state (a kept connection,
 * an fping target); `close` frees everything the check holds.
 */
export interface Check {
  readonly kind: ProbeKind;
  check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult>;
  release?(serverId: string): void;
  close(): Promise<void>;
}

export class AbortedError extends Error {
  constructor() {
    super('probe aborted');
    this.name = 'AbortError';
  }
}

export const lost = (error: string): ProbeResult => ({ rttMs: null, error });
