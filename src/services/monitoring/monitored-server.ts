// Which probes a server gets, from its config. SIP over UDP always; ICMP and a TCP connect to
// the SIP TCP port always; SIP over TCP only when the TCP port is not also the TLS port (the
// reference's default puts both on 5061, where the listener speaks TLS); SIP over TLS when the
// server uses TLS (WebRTC/TLS, TLS internals) or the user pinned a certificate for it.
import { PROBE_KINDS, type ProbeKind } from '../../contract/probe-kinds';
import type { MonitoredServer } from '../probes/scheduler';
import type { StoredServer } from '../store/servers-repo';

type Config = StoredServer['config'];

// One entry per kind of the one list (contract/probe-kinds.ts): a new kind is a compile error here
// until it says which servers get it.
const GETS_KIND: Record<ProbeKind, (config: Config, icmpAvailable: boolean) => boolean> = {
  'sip-udp': () => true,
  'sip-tcp': (c) => c.ports.tcp !== c.ports.tls,
  'sip-tls': (c) => c.webrtcTls || c.tlsInternals || c.tlsPin !== null,
  icmp: (_c, icmpAvailable) => icmpAvailable,
  tcp: () => true,
};

/** The kinds a server gets, in the list's order. */
export function probeKindsFor(server: Pick<StoredServer, 'config'>, icmpAvailable: boolean): ProbeKind[] {
  return PROBE_KINDS.filter((kind) => GETS_KIND[kind](server.config, icmpAvailable));
}

export function toMonitored(server: StoredServer, intervalMs: number, icmpAvailable: boolean): MonitoredServer {
  return {
    id: server.id,
    host: server.ip,
    ports: { ...server.config.ports },
    adminState: server.adminState,
    expiresAt: server.expiresAt,
    intervalMs,
    kinds: probeKindsFor(server, icmpAvailable),
    tlsPinSha256: server.config.tlsPin,
    // Certificates name the server by its FQDN; an address alone rarely matches one.
    tlsServername: server.config.fqdn,
  };
}

/** True when the scheduler must be told: anything it probes with changed. */
export function sameProbing(a: MonitoredServer, b: MonitoredServer): boolean {
  return (
    a.host === b.host &&
    a.ports.udp === b.ports.udp &&
    a.ports.tcp === b.ports.tcp &&
    a.ports.tls === b.ports.tls &&
    a.adminState === b.adminState &&
    a.expiresAt === b.expiresAt &&
    a.intervalMs === b.intervalMs &&
    a.tlsPinSha256 === b.tlsPinSha256 &&
    a.tlsServername === b.tlsServername &&
    a.kinds.join() === b.kinds.join()
  );
}
