import { describe, expect, it } from 'vitest';
import { ServerConfig, ServerDraft, SshSettings } from '../../contract/fleet';
import { DEFAULT_PORTS, defaultConfig, defaultServerDraft, defaultSsh } from './defaults';

describe('defaults', () => {
  it('uses the reference port defaults: UDP 5060, TCP 5061, TLS 5061', () => {
    expect(DEFAULT_PORTS).toEqual({ udp: 5060, tcp: 5061, tls: 5061 });
    expect(defaultConfig().ports).toEqual({ udp: 5060, tcp: 5061, tls: 5061 });
  });

  it('keeps the port defaults frozen and hands out a fresh copy each time', () => {
    expect(Object.isFrozen(DEFAULT_PORTS)).toBe(true);
    const a = defaultConfig();
    a.ports.udp = 5080;
    a.interconnect.terminationIngress = false;
    expect(defaultConfig().ports.udp).toBe(5060);
    expect(defaultConfig().interconnect.terminationIngress).toBe(true);
  });

  it('follows the reference for TLS internals (off) and SIP traces (UDP), with failover off', () => {
    const config = defaultConfig();
    expect(config.tlsInternals).toBe(false);
    expect(config.tcpSipTrace).toBe(false);
    expect(config.webrtcTls).toBe(false);
    expect(config.fqdn).toBeNull();
    expect(config.capacityFailover).toEqual({ enabled: false, targetId: null });
  });

  it('produces a config and SSH settings the contract accepts', () => {
    expect(ServerConfig.safeParse(defaultConfig()).success).toBe(true);
    expect(SshSettings.parse(defaultSsh())).toEqual({ host: null, port: 22, user: 'root', auth: 'agent', keyPath: null, jumpHost: null });
    expect(defaultSsh('ops').user).toBe('ops');
  });

  it('produces a draft that only needs an IP and an alias', () => {
    const draft = defaultServerDraft('zone-1', 'ops');
    expect(draft).toMatchObject({
      zoneId: 'zone-1',
      type: 'switch',
      clusterId: null,
      channels: 100,
      cps: 10,
      adminState: 'running',
      expiresAt: null,
    });
    expect(draft.ssh.user).toBe('ops');
    const refused = ServerDraft.safeParse(draft);
    expect(refused.success).toBe(false);
    expect(new Set(refused.error?.issues.map((i) => i.path.join('.')))).toEqual(new Set(['alias', 'ip']));
    expect(ServerDraft.safeParse({ ...draft, ip: '192.0.2.1', alias: 'edge-1' }).success).toBe(true);
  });
});
