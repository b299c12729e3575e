import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fleet } from '../../../test/helpers/fleet-arbitraries';
import { DomainError } from '../errors';
import { CSV_HEADER, SERVER_COLUMNS, csvColumnFor, formatFleetCsv, parseFleetCsv } from './csv';
import type { FleetExport } from './json';
import type { FileServer } from './records';

const HEADER = CSV_HEADER.join(',');

/** A file with the full header and one line per row, each row given as column → cell. */
function csv(...rows: Record<string, string>[]): string {
  return [HEADER, ...rows.map((row) => CSV_HEADER.map((h) => row[h] ?? '').join(','))].join('\n');
}

const edge = { kind: 'server', ip: '192.0.2.10', alias: 'edge-1', type: 'switch', zone: 'EU' };

function refusal(text: string): DomainError {
  try {
    parseFleetCsv(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`expected a DomainError, got ${String(error)}`);
  }
  throw new Error('expected the file to be refused');
}

function onlyServer(text: string): FileServer {
  const servers = parseFleetCsv(text).servers;
  expect(servers).toHaveLength(1);
  return servers[0]!.server;
}

describe('formatFleetCsv / parseFleetCsv', () => {
  it('reads back the servers and RTP servers it wrote, for any fleet', () => {
    fc.assert(
      fc.property(fleet, (f: FleetExport) => {
        const parsed = parseFleetCsv(formatFleetCsv(f));
        expect(parsed.servers.map((s) => s.server)).toEqual(f.servers);
        expect(parsed.rtpServers.map((r) => r.rtp)).toEqual(f.rtpServers);
      }),
      { numRuns: 200 },
    );
  });

  it('reads back a file whose line endings became CRLF', () => {
    fc.assert(
      fc.property(fleet, (f) => {
        const parsed = parseFleetCsv(formatFleetCsv(f).replace(/\r?\n/g, '\r\n'));
        expect(parsed.servers.map((s) => s.server.alias)).toEqual(f.servers.map((s) => s.alias));
        expect(parsed.servers.map((s) => s.server.ip)).toEqual(f.servers.map((s) => s.ip));
      }),
      { numRuns: 50 },
    );
  });

  it('numbers records by the file line they start on, even after multi-line cells and blank lines', () => {
    fc.assert(
      fc.property(fleet, (f) => {
        const text = formatFleetCsv(f);
        const parsed = parseFleetCsv(text);
        const lines = text.split('\n');
        for (const { row, server } of parsed.servers) {
          expect(lines[row - 1]?.startsWith('server,')).toBe(true);
          expect(lines[row - 1]).toContain(server.ip);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('writes the header as line 1 and one line per record, ending with a newline', () => {
    const text = formatFleetCsv({
      zones: [],
      clusters: [],
      servers: [onlyServer(csv(edge))],
      rtpServers: [{ ip: '203.0.113.5', alias: 'media', zone: 'EU' }],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]?.startsWith('server,192.0.2.10,edge-1,switch,,EU,100,10,,running,false,false,true')).toBe(true);
    expect(lines[2]).toBe(`rtp,203.0.113.5,media,,,EU${','.repeat(CSV_HEADER.length - 6)}`);
    expect(lines[3]).toBe('');
  });

  it('names the columns as documented', () => {
    expect(CSV_HEADER.slice(0, 6)).toEqual(['kind', 'ip', 'alias', 'type', 'cluster', 'zone']);
    expect(new Set(CSV_HEADER).size).toBe(CSV_HEADER.length);
    expect(csvColumnFor('config.ports.udp')).toBe('udp_port');
    expect(csvColumnFor('config.capacityFailover.target')).toBe('failover_target');
    expect(csvColumnFor('ssh.keyPath')).toBe('ssh_key_path');
    expect(csvColumnFor('not.a.column')).toBe('not.a.column');
    for (const column of SERVER_COLUMNS) expect(csvColumnFor(column.path)).toBe(column.name);
  });
});

describe('spreadsheet formula escaping', () => {
  const withAlias = (alias: string) =>
    formatFleetCsv({ zones: [], clusters: [], servers: [{ ...onlyServer(csv(edge)), alias }], rtpServers: [] });

  it("exports =cmd as '=cmd and reads it back as =cmd", () => {
    const text = withAlias('=cmd|calc');
    expect(text).toContain(`"'=cmd|calc"`);
    expect(parseFleetCsv(text).servers[0]?.server.alias).toBe('=cmd|calc');
  });

  it.each(['+1', '-1', '@SUM(A1)', "'=already quoted", "''+twice"])('round-trips %j', (alias) => {
    const text = withAlias(alias);
    expect(text).toContain(`'${alias}`);
    expect(parseFleetCsv(text).servers[0]?.server.alias).toBe(alias);
  });

  it('escapes a formula that spans lines', () => {
    const fqdnCell = (fqdn: string) =>
      formatFleetCsv({
        zones: [],
        clusters: [],
        servers: [{ ...onlyServer(csv(edge)), config: { ...onlyServer(csv(edge)).config, processingZone: fqdn } }],
        rtpServers: [],
      });
    const text = fqdnCell('=HYPERLINK("x")\nsecond line');
    expect(text).toContain(`"'=HYPERLINK(""x"")\nsecond line"`);
    expect(parseFleetCsv(text).servers[0]?.server.config.processingZone).toBe('=HYPERLINK("x")\nsecond line');
  });

  it('reads a hand-written escaped cell back unescaped', () => {
    expect(onlyServer(csv({ ...edge, alias: "'=cmd" })).alias).toBe('=cmd');
  });

  it('leaves other leading quotes alone', () => {
    expect(onlyServer(csv({ ...edge, alias: "'quoted" })).alias).toBe("'quoted");
  });
});

describe('parseFleetCsv', () => {
  it('fills empty cells with the reference defaults', () => {
    const server = onlyServer(csv(edge));
    expect(server).toMatchObject({ cluster: null, channels: 100, cps: 10, expires: null, adminState: 'running' });
    expect(server.config.ports).toEqual({ udp: 5060, tcp: 5061, tls: 5061 });
    expect(server.config.interconnect).toEqual({
      terminationIngress: true,
      terminationEgress: true,
      originationIngress: true,
      originationEgress: true,
    });
    expect(server.ssh).toEqual({ host: null, port: 22, auth: 'agent', keyPath: null, jumpHost: null });
  });

  it('accepts a file with only some columns, in any order and case', () => {
    const parsed = parseFleetCsv('Zone,ALIAS,ip,kind,type,udp_port\nEU,edge-1,192.0.2.10,server,switch,5080\n');
    expect(parsed.servers[0]?.server).toMatchObject({
      alias: 'edge-1',
      zone: 'EU',
      config: { ports: { udp: 5080, tcp: 5061, tls: 5061 } },
    });
  });

  it('reads yes/no words as booleans', () => {
    for (const [cell, value] of [
      ['true', true],
      ['YES', true],
      ['1', true],
      ['y', true],
      ['On', true],
      ['false', false],
      ['no', false],
      ['0', false],
      ['N', false],
      ['off', false],
    ] as const) {
      expect(onlyServer(csv({ ...edge, webrtc_tls: cell, fqdn: 'sip.example.com' })).config.webrtcTls).toBe(value);
    }
  });

  it('reads an expiry date as UTC milliseconds', () => {
    expect(onlyServer(csv({ ...edge, expires: '2027-01-31T00:00:00.000Z' })).expires).toBe(Date.UTC(2027, 0, 31));
    expect(onlyServer(csv({ ...edge, expires: '2027-01-31' })).expires).toBe(Date.UTC(2027, 0, 31));
  });

  it('reads quoted cells with commas, quotes and line breaks', () => {
    const text = `${HEADER}\n${CSV_HEADER.map((h) => ({ kind: 'server', ip: '192.0.2.10', alias: '"edge, ""one"""', type: 'switch', zone: 'EU', processing_zone: '"US,\nEU"' })[h] ?? '').join(',')}\n`;
    const server = onlyServer(text);
    expect(server.alias).toBe('edge, "one"');
    expect(server.config.processingZone).toBe('US,\nEU');
  });

  it('strips a byte-order mark and accepts CRLF', () => {
    const text = `\uFEFF${csv(edge, { ...edge, ip: '192.0.2.11', alias: 'edge-2' }).replace(/\n/g, '\r\n')}\r\n`;
    expect(parseFleetCsv(text).servers.map((s) => s.row)).toEqual([2, 3]);
  });

  it('skips blank lines but keeps counting them', () => {
    const text = `${HEADER}\n\n${csv(edge).split('\n')[1]}\n   \n${csv({ ...edge, ip: '192.0.2.11', alias: 'edge-2' }).split('\n')[1]}\n\n`;
    const parsed = parseFleetCsv(text);
    expect(parsed.servers.map((s) => [s.row, s.label])).toEqual([
      [3, 'Line 3 (192.0.2.10)'],
      [5, 'Line 5 (192.0.2.11)'],
    ]);
  });

  it('takes the delimiter from the header, so a ; in a cell is only a character', () => {
    expect(onlyServer(csv({ ...edge, alias: 'edge;1', zone: 'EU;west' }))).toMatchObject({ alias: 'edge;1', zone: 'EU;west' });
    expect(onlyServer('kind;ip;alias;type;zone\nserver;192.0.2.10;edge,1;switch;EU\n').alias).toBe('edge,1');
    expect(onlyServer('kind\tip\talias\ttype\tzone\nserver\t192.0.2.10\tedge-1\tswitch\tEU\n').alias).toBe('edge-1');
  });

  it('reads RTP rows', () => {
    expect(parseFleetCsv(csv({ kind: 'RTP', ip: '203.0.113.5', alias: 'media', zone: 'EU' })).rtpServers).toEqual([
      { row: 2, label: 'Line 2', rtp: { ip: '203.0.113.5', alias: 'media', zone: 'EU' } },
    ]);
  });

  it('gives no zones or clusters of its own: they come from the names rows use', () => {
    expect(parseFleetCsv(csv(edge))).toMatchObject({ zones: [], clusters: [] });
  });
});

describe('parseFleetCsv refusals', () => {
  it.each([
    ['an empty file', ''],
    ['a file without the header', 'server,192.0.2.10,edge-1,switch,,EU\n'],
    ['a header without ip', 'kind,alias\nserver,a\n'],
  ])('refuses %s on line 1', (_why, text) => {
    const error = refusal(text);
    expect(error).toMatchObject({ code: 'invalid-input', row: 1 });
    expect(error.message).toMatch(/header/);
  });

  it('refuses unknown columns, naming them', () => {
    const error = refusal('kind,ip,alias,type,zone,colour,sip_port\nserver,192.0.2.1,a,switch,EU,red,5060\n');
    expect(error).toMatchObject({ row: 1, field: 'colour' });
    expect(error.message).toBe('Line 1: unknown column(s) colour, sip_port. Nothing was imported.');
  });

  it.each([
    ['too few cells', 'server,192.0.2.11', /^Line 3: 2 cells where the header has \d+\./],
    ['too many cells', `${csv(edge).split('\n')[1]},extra`, /^Line 3: \d+ cells where the header has \d+\./],
  ])('refuses a row with %s, naming its line', (_why, line, message) => {
    const error = refusal(`${csv(edge)}\n${line}\n`);
    expect(error.row).toBe(3);
    expect(error.message).toMatch(message);
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    ['an unknown kind', { kind: 'router' }, 'kind', /kind "router" must be server or rtp/],
    ['a blank kind', { kind: '' }, 'kind', /kind "" must be server or rtp/],
    ['fractional channels', { channels: '1.5' }, 'channels', /channels "1\.5" is not a whole number/],
    ['channels as a word', { channels: 'many' }, 'channels', /channels "many" is not a whole number/],
    ['zero channels', { channels: '0' }, 'channels', /channels must be at least 1/],
    ['negative CPS', { cps: '-1' }, 'cps', /cps must be at least 1/],
    ['a UDP port out of range', { udp_port: '70000' }, 'udp_port', /udp_port must be 1–65535/],
    ['a TLS port of 0', { tls_port: '0' }, 'tls_port', /tls_port must be 1–65535/],
    ['an SSH port as a word', { ssh_port: 'ssh' }, 'ssh_port', /ssh_port "ssh" is not a whole number/],
    ['a boolean word it does not know', { webrtc_tls: 'maybe' }, 'webrtc_tls', /webrtc_tls "maybe" is not yes\/no/],
    ['an unknown type', { type: 'router' }, 'type', /type must be one of dispatcher, switch/],
    ['an unknown admin state', { admin_state: 'paused' }, 'admin_state', /admin_state must be one of running, stopped/],
    ['an unknown SSH auth', { ssh_auth: 'kerberos' }, 'ssh_auth', /ssh_auth must be one of agent, key, password/],
    ['a missing alias', { alias: '' }, 'alias', /alias/],
    ['a day that does not exist', { expires: '2027-02-30' }, 'expires', /"2027-02-30" is not a date/],
    ['a bare number', { expires: '1' }, 'expires', /"1" is not a date/],
    ['a US-style date', { expires: '12/31/2027' }, 'expires', /"12\/31\/2027" is not a date/],
    ['a word', { expires: 'soon' }, 'expires', /"soon" is not a date/],
  ])('refuses %s, naming the line and the CSV column', (_why, patch, column, message) => {
    const error = refusal(csv(edge, { ...edge, ip: '192.0.2.11', alias: 'edge-2', ...patch }));
    expect(error.code).toBe('invalid-input');
    expect(error.row).toBe(3);
    expect(error.field).toBe(column);
    expect(error.message).toMatch(/^Line 3/);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Nothing was imported\.$/);
  });

  it('names the file line of a bad row that follows a multi-line cell', () => {
    const text = `${HEADER}\n${CSV_HEADER.map((h) => (({ ...edge, processing_zone: '"a\nb\nc"' }) as Record<string, string>)[h] ?? '').join(',')}\n${CSV_HEADER.map((h) => (({ ...edge, ip: '192.0.2.11', alias: 'edge-2', udp_port: '0' }) as Record<string, string>)[h] ?? '').join(',')}\n`;
    const error = refusal(text);
    expect(error.row).toBe(5);
    expect(error.message).toMatch(/^Line 5: udp_port must be 1–65535/);
  });

  it('refuses a bad RTP row, naming its line and field', () => {
    const error = refusal(csv(edge, { kind: 'rtp', ip: '203.0.113.5', alias: 'media' }));
    expect(error).toMatchObject({ row: 3, field: 'zone' });
  });

  it('never throws anything but a DomainError, whatever the text', () => {
    const cell = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('server', 'rtp', '"', '""', '1', 'yes', '192.0.2.1'));
    const body = fc
      .array(
        fc.array(cell, { maxLength: CSV_HEADER.length + 1 }).map((cells) => cells.join(',')),
        { maxLength: 4 },
      )
      .map((rows) => rows.join('\n'));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          body.map((b) => `${HEADER}\n${b}`),
        ),
        (text) => {
          try {
            parseFleetCsv(text);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
          }
        },
      ),
    );
  });
});
