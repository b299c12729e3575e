import type { ServerConfig, ServerDraft, SshSettings } from '../../contract/fleet';

/** The reference's port defaults: SIP over UDP on 5060, TCP and TLS on 5061. */
export const DEFAULT_PORTS = Object.freeze({ udp: 5060, tcp: 5061, tls: 5061 });

export function defaultConfig(): ServerConfig {
  return {
    interconnect: {
      terminationIngress: true,
      terminationEgress: true,
      originationIngress: true,
      originationEgress: true,
    },
    uacAuth: false,
    webrtcTls: false,
    fqdn: null,
    autoUpgrade: false,
    disableUacPing: false,
    uacLocationSharing: false,
    // The reference: disabled by default, as most traffic is not TLS.
    tlsInternals: false,
    restrictDirect: false,
    // The reference: UDP is the default for SIP traces.
    tcpSipTrace: false,
    anyReg: false,
    processingZone: null,
    ports: { ...DEFAULT_PORTS },
    capacityFailover: { enabled: false, targetId: null },
    tlsPin: null,
  };
}

export function defaultSsh(user = 'root'): SshSettings {
  return { host: null, port: 22, user, auth: 'agent', keyPath: null, jumpHost: null };
}

export function defaultServerDraft(zoneId: string, sshUser = 'root'): ServerDraft {
  return {
    ip: '',
    alias: '',
    type: 'switch',
    clusterId: null,
    zoneId,
    channels: 100,
    cps: 10,
    expiresAt: null,
    adminState: 'running',
    config: defaultConfig(),
    ssh: defaultSsh(sshUser),
  };
}
