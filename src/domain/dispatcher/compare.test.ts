import { describe, expect, it } from 'vitest';
import { sketchServer } from '../platform/fleet-builder';
import type { PlatformServer } from '../platform/fleet-shape';
import { compareDestinations, disagreementOf, matchDestination, serversByHost, type OurProbe } from './compare';
import type { DsDestination } from './ds-list';
import { sipTarget } from './sip-uri';

const server = (id: string, ip: string, ports = { udp: 5060, tcp: 5061, tls: 5061 }): PlatformServer =>
  sketchServer({ id, ip, alias: `sw-${id}`, config: { ports } });
const dest = (uri: string, flags: string): DsDestination => ({
  setId: 1,
  uri,
  flags,
  state: flags.startsWith('A') ? 'active' : flags.startsWith('I') ? 'inactive' : flags.startsWith('T') ? 'trying' : 'disabled',
  probing: flags.endsWith('P'),
  priority: 0,
  attrs: null,
  weight: null,
  latency: null,
});
const probe = (status: OurProbe['status']): OurProbe => ({
  status,
  reason: status === 'down' ? 'SIP UDP: 3 lost in a row' : '',
  sipRttMs: status === 'down' ? null : 0.4,
  sipCode: status === 'down' ? null : 200,
  sipLossPct: 0,
});

describe('sipTarget', () => {
  it.each([
    ['sip:10.0.0.5', { host: '10.0.0.5', port: null, transport: 'udp', effectivePort: 5060 }],
    ['sip:10.0.0.5:5080;transport=TCP', { host: '10.0.0.5', port: 5080, transport: 'tcp', effectivePort: 5080 }],
    ['sips:SW1.example.net', { host: 'sw1.example.net', port: null, transport: 'tls', effectivePort: 5061 }],
    ['sip:[2001:DB8::5]:5062', { host: '2001:db8::5', port: 5062, transport: 'udp', effectivePort: 5062 }],
    ['sip:gw@192.0.2.9:5070;lr', { host: '192.0.2.9', port: 5070, transport: 'udp', effectivePort: 5070 }],
  ])('%s', (uri, target) => expect(sipTarget(uri)).toEqual(target));

  it.each(['tel:+15551234', 'sip:', 'sip:10.0.0.5:99999', 'http://x'])('refuses %s', (uri) => expect(sipTarget(uri)).toBeNull());
});

describe('matching destinations to fleet servers by address and port', () => {
  const fleet = [server('a', '10.0.0.5'), server('b', '10.0.0.6', { udp: 5080, tcp: 5081, tls: 5082 })];

  it('matches the SIP port of the transport the URI names', () => {
    expect(matchDestination('sip:10.0.0.5', fleet).match?.id).toBe('a');
    expect(matchDestination('sip:10.0.0.5:5061;transport=tcp', fleet).match?.id).toBe('a');
    expect(matchDestination('sip:10.0.0.6:5080', fleet).match?.id).toBe('b');
    expect(matchDestination('sips:10.0.0.6:5082', fleet).match?.id).toBe('b');
  });

  it('an address in the fleet on another port is no match, and says why', () => {
    const { match, hint } = matchDestination('sip:10.0.0.6:5060', fleet);
    expect(match).toBeNull();
    expect(hint).toBe('10.0.0.6 is sw-b, but its SIP UDP port is 5080, not 5060.');
  });

  it('an address outside the fleet is no match, with nothing to say', () => {
    expect(matchDestination('sip:192.0.2.1', fleet)).toMatchObject({ match: null, hint: null });
  });
});

describe('the dispatcher against Switchyard', () => {
  it.each([
    ['inactive', 'online', 'inactive-but-answering'],
    ['inactive', 'degraded', 'inactive-but-answering'],
    ['inactive', 'down', null],
    ['active', 'down', 'active-but-down'],
    ['trying', 'down', 'active-but-down'],
    ['active', 'online', null],
    ['disabled', 'online', null],
    ['disabled', 'down', null],
    ['active', 'stopped', null],
  ] as const)('%s on the dispatcher, %s to Switchyard: %s', (state, status, expected) => {
    expect(disagreementOf(state, probe(status))).toBe(expected);
  });

  it('nothing to compare without our probe or a known state', () => {
    expect(disagreementOf('inactive', null)).toBeNull();
    expect(disagreementOf(null, probe('online'))).toBeNull();
  });

  it('finds the servers at a host as a scan of the fleet would, however the address is written', () => {
    const spelled = [server('a', ' 10.0.0.5'), server('b', '[FD00::A]'), server('c', 'fd00::a', { udp: 5080, tcp: 5081, tls: 5082 })];
    const byHost = serversByHost(spelled);
    expect(byHost.get('10.0.0.5')?.map((s) => s.id)).toEqual(['a']);
    expect(byHost.get('fd00::a')?.map((s) => s.id)).toEqual(['b', 'c']);
    expect(matchDestination('sip:[fd00::a]:5080', spelled, byHost).match?.id).toBe('c');
    expect(matchDestination('sip:[fd00::a]:5090', spelled, byHost)).toEqual(matchDestination('sip:[fd00::a]:5090', spelled));
  });

  it('compares each destination with the probe of the server it matched', () => {
    const fleet = [server('a', '10.0.0.5'), server('b', '10.0.0.6')];
    const statuses = new Map([
      ['a', probe('online')],
      ['b', probe('down')],
    ]);
    const compared = compareDestinations(
      [dest('sip:10.0.0.5', 'IP'), dest('sip:10.0.0.6', 'AX'), dest('sip:10.0.0.7', 'AP')],
      fleet,
      (id) => statuses.get(id) ?? null,
    );
    expect(compared.map((d) => [d.match?.alias ?? null, d.ours?.status ?? null, d.disagreement])).toEqual([
      ['sw-a', 'online', 'inactive-but-answering'],
      ['sw-b', 'down', 'active-but-down'],
      [null, null, null],
    ]);
  });
});
