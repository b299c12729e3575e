// A server as the probe scheduler sees it: where to probe, which kinds, how often. Its own file so
// the scheduler and the watched probes both use it without importing each other.
import type { ProbeKind } from '../../domain/monitoring/sample';

export interface MonitoredServer {
  id: string;
  host: string;
  ports: { udp: number; tcp: number; tls: number };
  adminState: 'running' | 'stopped';
  /** End of a test period, UTC ms; probes pause from then on. */
  expiresAt: number | null;
  intervalMs?: number;
  kinds: readonly ProbeKind[];
  tlsPinSha256?: string | null;
  tlsServername?: string | null;
}
