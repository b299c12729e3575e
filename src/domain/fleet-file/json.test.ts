import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fleet } from '../../../test/helpers/fleet-arbitraries';
import { DomainError } from '../errors';
import { formatFleetJson, parseFleetJson, type FleetExport } from './json';

const EXPORTED_AT = Date.UTC(2026, 4, 1, 9, 30);

function file(body: Record<string, unknown>): string {
  return JSON.stringify({ switchyard: 'fleet', version: 1, ...body });
}

const minimalServer = { ip: '192.0.2.10', alias: 'edge-1', type: 'switch', zone: 'EU' };

/** The DomainError a parse throws (the test fails if it does not throw one). */
function refusal(text: string): DomainError {
  try {
    parseFleetJson(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`expected a DomainError, got ${String(error)}`);
  }
  throw new Error('expected the file to be refused');
}

describe('formatFleetJson / parseFleetJson', () => {
  it('reads back what it wrote, for any fleet', () => {
    fc.assert(
      fc.property(fleet, (f) => {
        const parsed = parseFleetJson(formatFleetJson(f, EXPORTED_AT));
        const back: FleetExport = {
          zones: parsed.zones,
          clusters: parsed.clusters,
          servers: parsed.servers.map((s) => s.server),
          rtpServers: parsed.rtpServers.map((r) => r.rtp),
        };
        expect(back).toEqual(f);
      }),
      { numRuns: 200 },
    );
  });

  it('writes the header, the export time, and expiry as ISO 8601', () => {
    const text = formatFleetJson(
      {
        zones: [],
        clusters: [],
        servers: [{ ...parseFleetJson(file({ servers: [minimalServer] })).servers[0]!.server, expires: Date.UTC(2027, 0, 31) }],
        rtpServers: [],
      },
      EXPORTED_AT,
    );
    const data = JSON.parse(text) as { switchyard: string; version: number; exportedAt: string; servers: { expires: string }[] };
    expect(data).toMatchObject({ switchyard: 'fleet', version: 1, exportedAt: '2026-05-01T09:30:00.000Z' });
    expect(data.servers[0]?.expires).toBe('2027-01-31T00:00:00.000Z');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('numbers records from 1 and labels them with their IP', () => {
    const parsed = parseFleetJson(
      file({
        servers: [minimalServer, { ...minimalServer, ip: '192.0.2.11', alias: 'edge-2' }],
        rtpServers: [{ ip: '203.0.113.5', alias: 'm', zone: 'EU' }],
      }),
    );
    expect(parsed.servers.map((s) => [s.row, s.label])).toEqual([
      [1, 'Server 1 (192.0.2.10)'],
      [2, 'Server 2 (192.0.2.11)'],
    ]);
    expect(parsed.rtpServers[0]).toMatchObject({ row: 1, label: 'RTP server 1 (203.0.113.5)' });
  });
});

describe('parseFleetJson defaults', () => {
  it('fills omitted fields with the reference defaults', () => {
    const { server } = parseFleetJson(file({ servers: [minimalServer] })).servers[0]!;
    expect(server).toMatchObject({
      cluster: null,
      channels: 100,
      cps: 10,
      expires: null,
      adminState: 'running',
      installRecommended: false,
      updatePending: false,
    });
    expect(server.config.ports).toEqual({ udp: 5060, tcp: 5061, tls: 5061 });
    expect(server.config).toMatchObject({
      webrtcTls: false,
      fqdn: null,
      tlsInternals: false,
      tcpSipTrace: false,
      capacityFailover: { enabled: false, target: null },
    });
    expect(server.config.interconnect).toEqual({
      terminationIngress: true,
      terminationEgress: true,
      originationIngress: true,
      originationEgress: true,
    });
    expect(server.ssh).toEqual({ host: null, port: 22, auth: 'agent', keyPath: null, jumpHost: null });
  });

  it('fills omitted ports one by one', () => {
    const { server } = parseFleetJson(file({ servers: [{ ...minimalServer, config: { ports: { tcp: 5080 } } }] })).servers[0]!;
    expect(server.config.ports).toEqual({ udp: 5060, tcp: 5080, tls: 5061 });
  });

  it('takes empty lists for omitted sections', () => {
    expect(parseFleetJson(file({}))).toEqual({ zones: [], clusters: [], servers: [], rtpServers: [] });
  });

  it('reads expiry as ISO 8601 or milliseconds', () => {
    const expires = (value: unknown) =>
      parseFleetJson(file({ servers: [{ ...minimalServer, expires: value }] })).servers[0]!.server.expires;
    expect(expires('2027-01-31')).toBe(Date.UTC(2027, 0, 31));
    expect(expires('2027-01-31T12:00:00+02:00')).toBe(Date.UTC(2027, 0, 31, 10));
    expect(expires(1_800_000_000_000)).toBe(1_800_000_000_000);
    expect(expires(null)).toBeNull();
    expect(expires('')).toBeNull();
  });

  it('strips a byte-order mark', () => {
    expect(parseFleetJson(`\uFEFF${file({ servers: [minimalServer] })}`).servers).toHaveLength(1);
  });

  it('accepts CRLF line endings', () => {
    expect(
      parseFleetJson(
        formatFleetJson({ zones: [{ name: 'EU', description: '' }], clusters: [], servers: [], rtpServers: [] }, EXPORTED_AT).replace(
          /\n/g,
          '\r\n',
        ),
      ).zones,
    ).toEqual([{ name: 'EU', description: '' }]);
  });
});

describe('parseFleetJson refusals', () => {
  it.each(['', 'not json', '{"switchyard":', '<fleet/>', "{'switchyard':'fleet'}"])('refuses text that is not JSON: %j', (text) => {
    const error = refusal(text);
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).toMatch(/Nothing was imported/);
  });

  it.each([
    ['another program', { switchyard: 'other', version: 1 }, 'switchyard'],
    ['no marker', { version: 1 }, 'switchyard'],
    ['a later version', { switchyard: 'fleet', version: 2 }, 'version'],
    ['a version as text', { switchyard: 'fleet', version: '1' }, 'version'],
  ])('refuses %s, naming the field and what is expected', (_why, body, field) => {
    const error = refusal(JSON.stringify(body));
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(error.message).toContain('"switchyard": "fleet", "version": 1');
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"fleet"'],
    ['null', 'null'],
    ['a number', '1'],
  ])('refuses %s at the top level', (_why, text) => {
    expect(refusal(text).message).toMatch(/Not a Switchyard fleet file/);
  });

  it('refuses unknown top-level fields, naming them', () => {
    expect(refusal(file({ owner: 'me' })).message).toContain('owner');
  });

  it('refuses a section of the wrong type', () => {
    const error = refusal(file({ servers: {} }));
    expect(error.field).toBe('servers');
  });

  it('refuses a bad zone, naming it by position', () => {
    const error = refusal(file({ zones: [{ name: 'EU', description: '' }, { name: '' }] }));
    expect(error.field).toBe('zones.1.name');
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a zero channel count', { channels: 0 }, 'channels', /at least 1/],
    ['fractional CPS', { cps: 1.5 }, 'cps', /whole number/],
    ['channels as text', { channels: '100' }, 'channels', /must be number/],
    ['a port out of range', { config: { ports: { udp: 70000 } } }, 'config.ports.udp', /1–65535/],
    ['a port as text', { config: { ports: { tls: '5061' } } }, 'config.ports.tls', /number/],
    ['a boolean as text', { config: { webrtcTls: 'yes' } }, 'config.webrtcTls', /boolean/],
    ['an unknown type', { type: 'router' }, 'type', /dispatcher, switch/],
    ['an unknown SSH auth', { ssh: { auth: 'kerberos' } }, 'ssh.auth', /agent, key, password/],
    ['an unknown server field', { colour: 'red' }, '', /unknown field\(s\) colour/],
    ['an unknown config field', { config: { sipPort: 5060 } }, 'config', /unknown field\(s\) sipPort/],
    ['a blank alias', { alias: '  ' }, 'alias', /required/],
    ['a control character in the alias', { alias: 'edge\u00071' }, 'alias', /control characters/],
    ['a day that does not exist', { expires: '2027-02-30' }, 'expires', /"2027-02-30" is not a date/],
    ['a month that does not exist', { expires: '2027-13-01' }, 'expires', /"2027-13-01" is not a date/],
    ['a bare number as text', { expires: '1' }, 'expires', /"1" is not a date/],
    ['a US-style date', { expires: '12/31/2027' }, 'expires', /"12\/31\/2027" is not a date/],
    ['a time without a zone', { expires: '2027-01-31T00:00' }, 'expires', /not a date/],
    ['a word', { expires: 'tomorrow' }, 'expires', /"tomorrow" is not a date/],
    ['milliseconds beyond any date', { expires: 9e15 }, 'expires', /./],
    ['a fractional millisecond', { expires: 1.5 }, 'expires', /./],
  ])('refuses %s in one server, naming its row and field', (_why, patch, field, why) => {
    const servers = [minimalServer, { ...minimalServer, ip: '192.0.2.11', alias: 'edge-2', ...patch }];
    const error = refusal(file({ servers }));
    expect(error.code).toBe('invalid-input');
    expect(error.row).toBe(2);
    expect(error.field).toBe(field === '' ? undefined : field);
    expect(error.message).toMatch(/^Server 2 \(192\.0\.2\.11\): /);
    if (field !== '') expect(error.message).toContain(field);
    expect(error.message).toMatch(why);
    expect(error.message).toMatch(/Nothing was imported\.$/);
  });

  it('refuses a server that is not an object', () => {
    const error = refusal(file({ servers: [minimalServer, 'edge-2'] }));
    expect(error.row).toBe(2);
    expect(error.message).toMatch(/^Server 2: the record must be object/);
  });

  it('refuses a missing required field', () => {
    const { ip: _ip, ...noIp } = minimalServer;
    const error = refusal(file({ servers: [noIp] }));
    expect(error).toMatchObject({ row: 1, field: 'ip' });
  });

  it('refuses a bad RTP server, naming its row and field', () => {
    const error = refusal(
      file({
        rtpServers: [
          { ip: '203.0.113.5', alias: 'm', zone: 'EU' },
          { ip: '203.0.113.6', alias: 'm2' },
        ],
      }),
    );
    expect(error).toMatchObject({ row: 2, field: 'zone' });
    expect(error.message).toMatch(/^RTP server 2 \(203\.0\.113\.6\): zone/);
  });

  it('refuses __proto__ and constructor keys as unknown fields', () => {
    const error = refusal(
      `{"switchyard":"fleet","version":1,"servers":[{"ip":"192.0.2.1","alias":"a","type":"switch","zone":"EU","__proto__":{"polluted":true}}]}`,
    );
    expect(error.message).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(refusal(file({ constructor: { name: 'x' } })).message).toContain('constructor');
  });

  it('keeps a long IP out of the label', () => {
    const error = refusal(file({ servers: [{ ...minimalServer, ip: '1'.repeat(10_000) }] }));
    expect(error.message.length).toBeLessThan(300);
  });

  it('never throws anything but a DomainError, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          parseFleetJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
        }
      }),
    );
  });
});
