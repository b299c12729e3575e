import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { canonicalIp, compareIp, ipSortKey, isIpv6, sortByIp } from './ip';
import { plainIpSortKey } from './ip-sort-key';

describe('canonicalIp', () => {
  it.each([
    ['192.0.2.10', '192.0.2.10'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['  198.51.100.7 ', '198.51.100.7'],
    ['2001:db8::1', '2001:db8::1'],
    ['2001:DB8:0::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['FE80::ABCD', 'fe80::abcd'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ])('accepts %j as %j', (input, canonical) => {
    expect(canonicalIp(input)).toBe(canonical);
  });

  it.each([
    ['leading zeros', '10.0.0.01'],
    ['leading zero in the first octet', '010.1.2.3'],
    ['short form', '127.1'],
    ['three parts', '10.0.1'],
    ['hex', '0x7f.0.0.1'],
    ['hex quad', '0x7f000001'],
    ['a plain number', '2130706433'],
    ['octet above 255', '256.1.1.1'],
    ['five parts', '1.2.3.4.5'],
    ['IPv4 CIDR', '10.0.0.0/8'],
    ['IPv6 CIDR', '2001:db8::/32'],
    ['zone index', 'fe80::1%eth0'],
    ['numeric zone index', 'fe80::1%2'],
    ['IPv4 with port', '192.0.2.1:5060'],
    ['bracketed IPv6 with port', '[2001:db8::1]:5060'],
    ['bracketed IPv6', '[2001:db8::1]'],
    ['inner space', '192.0.2. 1'],
    ['empty', ''],
    ['blank', '   '],
    ['300 characters', '1'.repeat(300)],
    ['two double colons', '1::2::3'],
    ['nine IPv6 groups', '1:2:3:4:5:6:7:8:9'],
    ['five hex digits in a group', '2001:db8::12345'],
    ['leading zeros in an embedded IPv4', '::ffff:010.0.0.1'],
    ['an embedded IPv4 above 255', '::ffff:256.0.0.1'],
    ['a host name', 'sip1.example.com'],
    ['a URI', 'sip:192.0.2.1'],
  ])('refuses %s (%j)', (_why, input) => {
    expect(canonicalIp(input)).toBeNull();
  });

  it('reads the deprecated IPv4-compatible form as itself, not as an IPv4-mapped address', () => {
    expect(canonicalIp('::192.0.2.1')).toBe('::c000:201');
    expect(canonicalIp('::192.0.2.1')).not.toBe(canonicalIp('::ffff:192.0.2.1'));
  });

  it('gives one text for every spelling of the same IPv6 address', () => {
    const spellings = ['2001:db8::1', '2001:DB8:0::1', '2001:db8:0:0::1', '2001:0DB8:0:0:0:0:0:1', ' 2001:db8::0:1 '];
    expect(new Set(spellings.map(canonicalIp))).toEqual(new Set(['2001:db8::1']));
  });

  it('accepts any dotted quad of decimal octets and returns it unchanged', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(canonicalIp(ip)).toBe(ip);
      }),
    );
  });

  it('refuses a dotted quad with a leading zero in any octet', () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(99)), fc.nat(3), ([a, b, c, d], at) => {
        const octets = [String(a), String(b), String(c), String(d)];
        octets[at] = `0${octets[at] ?? ''}`;
        expect(canonicalIp(octets.join('.'))).toBeNull();
      }),
    );
  });

  it('is idempotent and case-insensitive for any IPv6 address', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const canonical = canonicalIp(ip);
        expect(canonical).not.toBeNull();
        expect(canonicalIp(canonical ?? '')).toBe(canonical);
        expect(canonicalIp(ip.toUpperCase())).toBe(canonical);
        expect(canonical).toBe(canonical?.toLowerCase());
      }),
    );
  });

  it('never throws, and what it returns is itself canonical', () => {
    const addressy = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.%/[] x'), maxLength: 50 });
    fc.assert(
      fc.property(fc.oneof(addressy, fc.string({ maxLength: 50 })), (text) => {
        const result = canonicalIp(text);
        if (result !== null) expect(canonicalIp(result)).toBe(result);
      }),
    );
  });
});

describe('isIpv6', () => {
  it('tells the families apart by canonical text', () => {
    expect(isIpv6('2001:db8::1')).toBe(true);
    expect(isIpv6('192.0.2.1')).toBe(false);
  });
});

describe('compareIp', () => {
  it('orders numerically, IPv4 before IPv6', () => {
    const ips = ['2001:db8::1', '10.0.0.11', '10.0.0.2', '9.255.255.255'];
    expect([...ips].sort(compareIp)).toEqual(['9.255.255.255', '10.0.0.2', '10.0.0.11', '2001:db8::1']);
  });
});

describe('sortByIp', () => {
  it('gives the order compareIp gives, without touching the input', () => {
    const servers = ['2001:db8::1', 'not-an-ip', '10.0.0.11', '10.0.0.2', '9.255.255.255', '::1'].map((ip, n) => ({ ip, n }));
    const before = servers.map((s) => s.ip);
    const sorted = sortByIp(servers, (s) => s.ip);
    expect(sorted.map((s) => s.ip)).toEqual([...before].sort(compareIp));
    expect(sorted.map((s) => s.ip)).toEqual(['9.255.255.255', '10.0.0.2', '10.0.0.11', '::1', '2001:db8::1', 'not-an-ip']);
    expect(servers.map((s) => s.ip)).toEqual(before);
  });

  it('sorts 1,000 servers quickly (each address parsed once)', () => {
    const ips = Array.from({ length: 1000 }, (_, i) => ({ ip: `127.${100 + (i % 4)}.${(i * 37) % 250}.${(i % 250) + 2}` }));
    const started = performance.now();
    const sorted = sortByIp(ips, (s) => s.ip);
    // Generous for a loaded machine; the per-comparison parse it replaces took 40–800 ms.
    expect(performance.now() - started).toBeLessThan(300);
    expect(sorted.map((s) => s.ip)).toEqual(ips.map((s) => s.ip).sort(compareIp));
  });
});

describe('ipSortKey', () => {
  /** The key as ipaddr.js alone gives it: what the plain dotted quad's quick path must equal. */
  const byIpaddr = (ip: string): string => {
    if (!ipaddr.isValid(ip)) return `2${ip}`;
    const addr = ipaddr.parse(ip);
    return `${addr.kind() === 'ipv4' ? '0' : '1'}${addr
      .toByteArray()
      .map((byte) => byte.toString(16).padStart(2, '0'))
      .join('')}`;
  };

  it('gives the key ipaddr.js gives, for dotted quads of every form (leading zeros, parts over 255, octal)', () => {
    const part = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.constantFrom('00', '01', '010', '0255', '256', '999', '1000', '0x1f', ''),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        const ip = parts.join('.');
        expect(ipSortKey(ip)).toBe(byIpaddr(ip));
      }),
      { numRuns: 2_000 },
    );
    for (const ip of ['0.0.0.0', '255.255.255.255', '10.0.0.010', '1.2.3.4 ', ' 1.2.3.4', '::ffff:1.2.3.4', '127.1'])
      expect(ipSortKey(ip)).toBe(byIpaddr(ip));
  });

  it('gives the key ipaddr.js gives, for IPv6 in every form (compressed, full, upper case, dotted tails, malformed)', () => {
    const upper = fc.ipV6().map((ip) => ip.toUpperCase());
    const malformed = fc.constantFrom(
      '1::2::3',
      ':::',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '12345::',
      'g::1',
      '::1%eth0',
      '1:2:3:4:5:6:7::',
    );
    fc.assert(
      fc.property(fc.oneof(fc.ipV6(), upper, malformed), (ip) => {
        expect(ipSortKey(ip)).toBe(byIpaddr(ip));
      }),
      { numRuns: 2_000 },
    );
  });

  it('orders stored (canonical) addresses without ipaddr.js: the quick key is defined for all of them', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const ip = canonicalIp(text);
        if (ip === null) return;
        expect(plainIpSortKey(ip)).toBe(byIpaddr(ip));
      }),
      { numRuns: 2_000 },
    );
  });
});
