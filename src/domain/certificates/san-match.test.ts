import { describe, expect, it } from 'vitest';
import { dnsNameMatches, sansCover } from './san-match';

describe('dnsNameMatches', () => {
  it('matches an exact name, ignoring case and a trailing dot', () => {
    expect(dnsNameMatches('sip.example.com', 'sip.example.com')).toBe(true);
    expect(dnsNameMatches('SIP.Example.COM', 'sip.example.com')).toBe(true);
    expect(dnsNameMatches('sip.example.com', 'SIP.EXAMPLE.com.')).toBe(true);
    expect(dnsNameMatches('sip.example.com', 'sip2.example.com')).toBe(false);
  });

  it('lets a wildcard cover exactly one left-most label', () => {
    expect(dnsNameMatches('*.example.com', 'sw1.example.com')).toBe(true);
    expect(dnsNameMatches('*.Example.com', 'SW1.example.COM')).toBe(true);
    expect(dnsNameMatches('*.example.com', 'example.com')).toBe(false);
    expect(dnsNameMatches('*.example.com', 'a.b.example.com')).toBe(false);
    expect(dnsNameMatches('*.example.com', '.example.com')).toBe(false);
    expect(dnsNameMatches('*.example.com', 'sw1.example.org')).toBe(false);
  });

  it('refuses wildcards TLS clients refuse', () => {
    expect(dnsNameMatches('*.com', 'example.com')).toBe(false);
    expect(dnsNameMatches('f*.example.com', 'foo.example.com')).toBe(false);
    expect(dnsNameMatches('a.*.example.com', 'a.b.example.com')).toBe(false);
    expect(dnsNameMatches('*', 'localhost')).toBe(false);
  });
});

describe('sansCover', () => {
  const sans = { dns: ['*.us-east.example.net', 'sip.example.net'], ip: ['127.0.0.1', '2001:db8::1'] };

  it('matches names against DNS SANs only', () => {
    expect(sansCover(sans, 'sw1.us-east.example.net')).toBe(true);
    expect(sansCover(sans, 'sip.example.net')).toBe(true);
    expect(sansCover(sans, 'us-east.example.net')).toBe(false);
  });

  it('matches IP addresses against IP SANs only, in any spelling', () => {
    expect(sansCover(sans, '127.0.0.1')).toBe(true);
    expect(sansCover(sans, '2001:DB8:0::1')).toBe(true);
    expect(sansCover(sans, '[2001:db8::1]')).toBe(true);
    expect(sansCover(sans, '127.0.0.2')).toBe(false);
    // A DNS SAN that spells an address does not make the address covered.
    expect(sansCover({ dns: ['127.0.0.9'], ip: [] }, '127.0.0.9')).toBe(false);
  });
});
