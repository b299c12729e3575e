import { describe, expect, it } from 'vitest';
import { sketchFleet } from '../../platform/fleet-builder';
import { webrtcTlsIdentity as rule } from './webrtc-tls-identity';

const NOW = Date.UTC(2026, 5, 1);
const SETTINGS = { expiringSoonDays: 14 };

const cert = (over: Partial<{ notAfter: number; sans: string[]; serverIds: string[] }> = {}) => ({
  id: 'k',
  name: 'wild',
  notAfter: NOW + 9e9,
  sans: ['*.example.net'],
  serverIds: ['a'],
  ...over,
});

describe(rule.id, () => {
  it('without certificate data: an error for WebRTC/TLS with no FQDN only', () => {
    const fleet = sketchFleet([
      { id: 'a', config: { webrtcTls: true, fqdn: null } },
      { id: 'b', config: { webrtcTls: true, fqdn: 'sip.example.net' } },
    ]);
    const findings = rule.check(fleet, NOW, SETTINGS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', field: 'config.fqdn', servers: [expect.objectContaining({ alias: 'a' })] });
  });

  it('with certificate data: no certificate, an expired one or one for other names is flagged', () => {
    const base = sketchFleet([{ id: 'a', config: { webrtcTls: true, fqdn: 'sip.example.net' } }]);
    expect(rule.check({ ...base, certificates: [] }, NOW, SETTINGS)[0]!.message).toContain('no certificate is assigned');
    expect(rule.check({ ...base, certificates: [cert({ notAfter: NOW - 1 })] }, NOW, SETTINGS)).toHaveLength(1);
    expect(rule.check({ ...base, certificates: [cert({ sans: ['*.other.net'] })] }, NOW, SETTINGS)[0]!.field).toBe('certificates');
  });

  it('is quiet with a matching valid certificate, or with WebRTC/TLS off', () => {
    const ok = sketchFleet([{ id: 'a', config: { webrtcTls: true, fqdn: 'SIP.example.net' } }, { id: 'b' }]);
    expect(rule.check({ ...ok, certificates: [cert()] }, NOW, SETTINGS)).toEqual([]);
  });
});
