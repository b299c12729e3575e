import { describe, expect, it } from 'vitest';
import { judgeServed, type ServedCert } from './served-check';

const NOW = Date.UTC(2026, 5, 1);
const cert = (fp: string, subject: string, days = 30): ServedCert => ({
  fingerprint256: fp,
  subject,
  issuer: 'CN=CA',
  notBefore: NOW - 86_400_000,
  notAfter: NOW + days * 86_400_000,
});
const leaf = cert('AA', 'CN=test1.com');
const inter = cert('II', 'CN=Intermediate');
const expected = { name: 'test1.com', fingerprint256: 'AA', intermediates: [inter] };
const where = 'sbc1 (192.0.2.1:5061) for test1.com';

describe('judging what a server served', () => {
  it('is ok with the assigned leaf and its intermediate', () => {
    expect(judgeServed(where, expected, [leaf, inter], NOW).outcome).toBe('ok');
  });
  it('names server, domain and the fingerprint actually served when another certificate answers', () => {
    const v = judgeServed(where, expected, [cert('BB', 'CN=test2.com'), inter], NOW);
    expect(v.outcome).toBe('wrong-certificate');
    expect(v.message).toBe('sbc1 (192.0.2.1:5061) for test1.com serves CN=test2.com (SHA-256 BB), not test1.com (SHA-256 AA).');
  });
  it('flags an expired leaf or chain certificate, and a missing intermediate', () => {
    expect(judgeServed(where, expected, [leaf, cert('II', 'CN=Intermediate', -1)], NOW)).toMatchObject({ outcome: 'expired' });
    expect(judgeServed(where, expected, [leaf], NOW)).toMatchObject({
      outcome: 'missing-intermediate',
      message: expect.stringContaining('without its intermediate CN=Intermediate'),
    });
  });
  it('says why there was no handshake', () => {
    expect(judgeServed(where, expected, { error: 'connection refused' }, NOW)).toEqual({
      outcome: 'unreachable',
      message: 'No TLS handshake with sbc1 (192.0.2.1:5061) for test1.com: connection refused',
    });
  });
});
