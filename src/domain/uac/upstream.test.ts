import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { checkUpstreams, parseRegistrar } from './upstream';

describe('parseRegistrar', () => {
  it.each([
    ['sip:sip.example.net', 'sip.example.net', 'sip:sip.example.net'],
    ['SIP.Example.NET:5080', 'sip.example.net', 'sip:sip.example.net:5080'],
    ['sip:203.0.113.7:5060;transport=tcp', '203.0.113.7', 'sip:203.0.113.7:5060;transport=tcp'],
    ['sips:reg.example.org', 'reg.example.org', 'sip:reg.example.org;transport=tls'],
    ['[2001:DB8::1]:5060', '[2001:db8::1]', 'sip:[2001:db8::1]:5060'],
  ])('reads %s', (text, host, proxy) => {
    expect(parseRegistrar(text)).toMatchObject({ host, proxyUri: proxy });
  });

  it.each([
    '',
    'sip:',
    'http://example.net',
    'example.net:0',
    'example.net:70000',
    '999.1.1.1',
    'exa mple.net',
    'sip:a@example.net',
    'sips:x.net;transport=udp',
    'x.net;transport=sctp',
    '2001:db8::1',
    '-bad.example',
  ])('refuses %j', (text) => {
    expect(parseRegistrar(text)).toBeNull();
  });
});

describe('checkUpstreams', () => {
  const ok = { registrar: 'sip:reg.example.net', username: 'acct-1', expiry: 3600, passwordKnown: true };

  it('accepts a good list and an empty one', () => {
    expect(() =>
      checkUpstreams([ok, { ...ok, username: 'acct-2', password: 'p:w\\x', passwordKnown: false }], 'sw1 (10.0.0.1)'),
    ).not.toThrow();
    expect(() => checkUpstreams([], 'sw1 (10.0.0.1)')).not.toThrow();
  });

  it('names the server, the upstream and the field, and lists every problem', () => {
    let error: unknown;
    try {
      checkUpstreams([ok, { ...ok, registrar: 'http://x', expiry: 30 }, { ...ok, username: 'a b' }], 'sw1 (10.0.0.1)');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    expect(e.message).toMatch(/^UAC upstreams of sw1 \(10\.0\.0\.1\): upstream 2: registrar "http:\/\/x" is not a SIP URI/);
    expect(e.message).toContain('Nothing was saved');
    expect(e.field).toBe('upstreams.1.registrar');
    expect(e.issues?.map((i) => i.field)).toEqual(['upstreams.1.registrar', 'upstreams.1.expiry', 'upstreams.2.username']);
  });

  it('keeps expiry within 60..86400 s', () => {
    expect(() => checkUpstreams([{ ...ok, expiry: 59 }], 's')).toThrow(/from 60 to 86400/);
    expect(() => checkUpstreams([{ ...ok, expiry: 86_401 }], 's')).toThrow(/from 60 to 86400/);
    expect(() =>
      checkUpstreams(
        [
          { ...ok, expiry: 60 },
          { ...ok, username: 'b', expiry: 86_400 },
        ],
        's',
      ),
    ).not.toThrow();
  });

  it('wants a password for a new upstream, printable and at most 64 characters', () => {
    expect(() => checkUpstreams([{ ...ok, passwordKnown: false }], 's')).toThrow(/upstream 1: the password is required/);
    expect(() => checkUpstreams([{ ...ok, password: 'a\nb' }], 's')).toThrow(/control characters/);
    expect(() => checkUpstreams([{ ...ok, password: 'x'.repeat(65) }], 's')).toThrow(/at most 64/);
  });

  it('refuses the same registrar and username twice, however the registrar is written', () => {
    expect(() => checkUpstreams([ok, { ...ok, registrar: 'REG.example.net' }], 's')).toThrow(/upstream 2 repeats upstream 1/);
  });
});
