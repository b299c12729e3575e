import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isFqdn, isHostname } from './hostname';

describe('isHostname', () => {
  it.each([
    'localhost',
    'sip1',
    'sip-1.example.com',
    'SIP1.Example.COM',
    'example.com.',
    'a'.repeat(63),
    '1.2.3.4',
    'xn--bcher-kva.example',
  ])('accepts %j', (name) => expect(isHostname(name)).toBe(true));

  it.each([
    ['empty', ''],
    ['a lone dot', '.'],
    ['an empty label', 'sip..example.com'],
    ['a leading dot', '.example.com'],
    ['a leading hyphen', '-sip.example.com'],
    ['a trailing hyphen', 'sip-.example.com'],
    ['a 64-character label', `${'a'.repeat(64)}.com`],
    ['more than 253 characters', `${'a'.repeat(60)}.`.repeat(5).slice(0, 254)],
    ['an underscore', 'sip_1.example.com'],
    ['a space', 'sip 1.example.com'],
    ['a port', 'sip.example.com:5060'],
    ['a user', 'root@sip.example.com'],
    ['non-ASCII letters', 'bücher.example'],
  ])('refuses %s', (_why, name) => expect(isHostname(name)).toBe(false));

  it('accepts any name fast-check calls a domain', () => {
    fc.assert(
      fc.property(fc.domain(), (name) => {
        expect(isHostname(name)).toBe(true);
      }),
    );
  });
});

describe('isFqdn', () => {
  it.each(['sip1.example.com', 'example.com', 'sip1.example.com.', 'a.b.c.d.e.example'])('accepts %j', (name) =>
    expect(isFqdn(name)).toBe(true),
  );

  it.each([
    ['a single label', 'sip1'],
    ['a single label with a trailing dot', 'localhost.'],
    ['an IPv4 address', '192.0.2.1'],
    ['an all-digit last label', 'sip.123'],
    ['an empty label', 'sip..com'],
    ['a wildcard', '*.example.com'],
    ['a URL', 'https://sip.example.com'],
    ['empty', ''],
  ])('refuses %s', (_why, name) => expect(isFqdn(name)).toBe(false));
});
