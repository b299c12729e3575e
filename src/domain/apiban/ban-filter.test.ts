import { describe, expect, it } from 'vitest';
import { addressInHostSetting, buildProtection, describeDrops, filterBans, isGlobalUnicast, parseAllowEntry } from './ban-filter';

describe('isGlobalUnicast', () => {
  it('refuses every address a firewall must never drop', () => {
    for (const ip of [
      '0.0.0.0',
      '0.1.2.3',
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.10.10',
      '100.64.0.1',
      '224.0.0.1',
      '239.255.255.250',
      '255.255.255.255',
      '240.0.0.1',
      '192.0.2.7',
      '198.51.100.7',
      '203.0.113.7',
      '198.18.0.1',
      '::',
      '::1',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '2001:db8::1',
      '::ffff:127.0.0.1',
      '::ffff:8.8.8.8',
      '4000::1',
    ]) {
      expect(isGlobalUnicast(ip), ip).toBe(false);
    }
  });

  it('accepts global unicast IPv4 and IPv6', () => {
    for (const ip of ['8.8.8.8', '45.33.10.20', '185.220.101.4', '2a00:1450:4001:80b::200e', '2606:4700::1111'])
      expect(isGlobalUnicast(ip), ip).toBe(true);
  });
});

describe('parseAllowEntry', () => {
  it('reads addresses and blocks in canonical form', () => {
    expect(parseAllowEntry(' 203.0.113.7 ')).toEqual({ entry: '203.0.113.7' });
    expect(parseAllowEntry('45.33.10.99/24')).toEqual({ entry: '45.33.10.0/24' });
    expect(parseAllowEntry('45.33.10.99/32')).toEqual({ entry: '45.33.10.99' });
    expect(parseAllowEntry('2001:DB8:0::5/48')).toEqual({ entry: '2001:db8::/48' });
  });

  it('says what is wrong with a bad entry', () => {
    expect(parseAllowEntry('')).toMatchObject({ error: expect.stringContaining('is required') });
    expect(parseAllowEntry('carrier.example')).toMatchObject({
      error: expect.stringContaining('"carrier.example" is not an address or a CIDR block'),
    });
    expect(parseAllowEntry('10.0.0.0/33')).toMatchObject({ error: expect.stringContaining('0 to 32') });
    expect(parseAllowEntry('10.0.0.0/8/8')).toMatchObject({ error: expect.stringContaining('is not an address') });
    expect(parseAllowEntry('::1/abc')).toMatchObject({ error: expect.stringContaining('0 to 128') });
  });
});

describe('filterBans', () => {
  it('keeps what may be banned and counts the rest by reason', () => {
    const protection = buildProtection(['45.33.10.20', 'not an address', '2a01:4f8::2'], ['185.1.2.0/24', '91.200.12.7', '2a02:c7f::/32']);
    const { kept, dropped } = filterBans(
      [
        '8.8.8.8',
        '45.33.10.20',
        '2a01:4f8::2',
        '185.1.2.200',
        '185.1.3.1',
        '91.200.12.7',
        '2a02:c7f::9',
        '10.0.0.1',
        '255.255.255.255',
        '0.0.0.0',
      ],
      protection,
    );
    expect(kept).toEqual(['8.8.8.8', '185.1.3.1']);
    expect(dropped).toEqual({ malformed: 0, notGlobal: 3, fleet: 2, allowListed: 3 });
    expect(describeDrops({ ...dropped, malformed: 1 })).toBe(
      "1 not an address, 3 not global (private, loopback, broadcast, documentation…), 2 of the fleet's own, 3 allow-listed",
    );
    expect(describeDrops({ malformed: 0, notGlobal: 0, fleet: 0, allowListed: 0 })).toBe('');
  });
});

describe('addressInHostSetting', () => {
  it('finds the address in SSH host and jump-host settings, and nothing in a host name', () => {
    expect(addressInHostSetting('45.33.10.20')).toBe('45.33.10.20');
    expect(addressInHostSetting('root@45.33.10.21:2222')).toBe('45.33.10.21');
    expect(addressInHostSetting('[2a01:4f8::3]:22')).toBe('2a01:4f8::3');
    expect(addressInHostSetting('2a01:4f8::4')).toBe('2a01:4f8::4');
    expect(addressInHostSetting('bastion.example.net')).toBeNull();
    expect(addressInHostSetting(null)).toBeNull();
  });
});
