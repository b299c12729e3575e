import { describe, expect, it } from 'vitest';
import { expiryState, serverCertificateFindings, type AssignedCertificate } from './findings';

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 25, 12);

function cert(overrides: Partial<AssignedCertificate> = {}): AssignedCertificate {
  return {
    certificateId: 'c1',
    name: 'sip.example.net',
    type: 'server',
    domains: [],
    sans: { dns: ['*.example.net'], ip: [] },
    notBefore: now - 100 * DAY,
    notAfter: now + 200 * DAY,
    ...overrides,
  };
}

describe('expiryState', () => {
  it('warns 30 days before and not a day earlier', () => {
    expect(expiryState({ notBefore: 0, notAfter: now + 31 * DAY }, now)).toBe('valid');
    expect(expiryState({ notBefore: 0, notAfter: now + 30 * DAY }, now)).toBe('expiring');
    expect(expiryState({ notBefore: 0, notAfter: now + 1 }, now)).toBe('expiring');
    expect(expiryState({ notBefore: 0, notAfter: now }, now)).toBe('expired');
    expect(expiryState({ notBefore: now + 1, notAfter: now + 90 * DAY }, now)).toBe('not-yet-valid');
  });
});

describe('serverCertificateFindings', () => {
  it('is quiet for a covered, valid certificate on a TLS server', () => {
    const findings = serverCertificateFindings({ webrtcTls: true, fqdn: 'sw1.example.net' }, [cert({ domains: ['sw1.example.net'] })], now);
    expect(findings).toEqual([]);
  });

  it('flags a domain the certificate does not cover, by name', () => {
    const findings = serverCertificateFindings(
      { webrtcTls: false, fqdn: null },
      [cert({ domains: ['a.example.net', 'a.b.example.net', 'other.org'] })],
      now,
    );
    expect(findings.map((f) => (f.kind === 'uncovered-domain' ? f.domain : f.kind))).toEqual(['a.b.example.net', 'other.org']);
  });

  it('warns on expiring and errs on expired certificates', () => {
    const findings = serverCertificateFindings(
      { webrtcTls: false, fqdn: null },
      [cert({ certificateId: 'soon', notAfter: now + 10 * DAY }), cert({ certificateId: 'gone', notAfter: now - DAY })],
      now,
    );
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([
      ['expiring', 'warning'],
      ['expired', 'error'],
    ]);
    expect(findings[0]?.message).toContain('10 days');
  });

  it('flags WebRTC/TLS with no matching Server certificate for the FQDN', () => {
    const tls = { webrtcTls: true, fqdn: 'sw1.other.org' };
    expect(serverCertificateFindings(tls, [], now).map((f) => f.kind)).toEqual(['tls-without-certificate']);
    expect(serverCertificateFindings(tls, [cert()], now).map((f) => f.kind)).toEqual(['tls-without-certificate']);
    // A Client certificate, or an expired one, does not serve TLS to callers.
    const covering = { sans: { dns: ['sw1.other.org'], ip: [] } };
    expect(serverCertificateFindings(tls, [cert({ ...covering, type: 'client' })], now).map((f) => f.kind)).toEqual([
      'tls-without-certificate',
    ]);
    expect(serverCertificateFindings(tls, [cert({ ...covering, notAfter: now - 1 })], now).map((f) => f.kind)).toEqual([
      'expired',
      'tls-without-certificate',
    ]);
    expect(serverCertificateFindings(tls, [cert(covering)], now)).toEqual([]);
    expect(serverCertificateFindings({ webrtcTls: true, fqdn: null }, [], now).map((f) => f.kind)).toEqual(['tls-without-fqdn']);
    expect(serverCertificateFindings({ webrtcTls: false, fqdn: 'sw1.other.org' }, [], now)).toEqual([]);
  });
});
