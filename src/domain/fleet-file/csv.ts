import Papa from 'papaparse';
import { formatCsv, unneutralise } from '../csv/writer';
import { DomainError } from '../errors';
import { recordError } from './issues';
import { FileRtp, FileServer, type FleetRecords } from './records';
import type { FleetExport } from './json';

// One row per server or RTP server (`kind` column); zones and clusters are created from the
// names they use. Empty cells take the defaults. Column names are the documented format.

type Kind = 'text' | 'int' | 'bool' | 'date';
interface Column {
  name: string;
  path: string;
  kind: Kind;
}

const col = (name: string, path: string, kind: Kind = 'text'): Column => ({ name, path, kind });

export const SERVER_COLUMNS: readonly Column[] = [
  col('ip', 'ip'),
  col('alias', 'alias'),
  col('type', 'type'),
  col('cluster', 'cluster'),
  col('zone', 'zone'),
  col('channels', 'channels', 'int'),
  col('cps', 'cps', 'int'),
  col('expires', 'expires', 'date'),
  col('admin_state', 'adminState'),
  col('install_recommended', 'installRecommended', 'bool'),
  col('update_pending', 'updatePending', 'bool'),
  col('term_ingress', 'config.interconnect.terminationIngress', 'bool'),
  col('term_egress', 'config.interconnect.terminationEgress', 'bool'),
  col('orig_ingress', 'config.interconnect.originationIngress', 'bool'),
  col('orig_egress', 'config.interconnect.originationEgress', 'bool'),
  col('uac_auth', 'config.uacAuth', 'bool'),
  col('webrtc_tls', 'config.webrtcTls', 'bool'),
  col('fqdn', 'config.fqdn'),
  col('auto_upgrade', 'config.autoUpgrade', 'bool'),
  col('disable_uac_ping', 'config.disableUacPing', 'bool'),
  col('uac_location_sharing', 'config.uacLocationSharing', 'bool'),
  col('tls_internals', 'config.tlsInternals', 'bool'),
  col('restrict_direct', 'config.restrictDirect', 'bool'),
  col('tcp_sip_trace', 'config.tcpSipTrace', 'bool'),
  col('any_reg', 'config.anyReg', 'bool'),
  col('processing_zone', 'config.processingZone'),
  col('udp_port', 'config.ports.udp', 'int'),
  col('tcp_port', 'config.ports.tcp', 'int'),
  col('tls_port', 'config.ports.tls', 'int'),
  col('failover_enabled', 'config.capacityFailover.enabled', 'bool'),
  col('failover_target', 'config.capacityFailover.target'),
  col('tls_pin', 'config.tlsPin'),
  col('ssh_host', 'ssh.host'),
  col('ssh_port', 'ssh.port', 'int'),
  col('ssh_user', 'ssh.user'),
  col('ssh_auth', 'ssh.auth'),
  col('ssh_key_path', 'ssh.keyPath'),
  col('ssh_jump_host', 'ssh.jumpHost'),
  col('media_zone', 'mediaZone'),
];

export const CSV_HEADER = ['kind', ...SERVER_COLUMNS.map((c) => c.name)];
const BY_PATH = new Map(SERVER_COLUMNS.map((c) => [c.path, c.name]));

/** The CSV column that holds a record field (`config.ports.udp` → `udp_port`). */
export function csvColumnFor(path: string): string {
  return BY_PATH.get(path) ?? path;
}

function convert(cell: string, column: Column, where: string, row: number): unknown {
  const v = cell.trim();
  if (column.kind === 'int') {
    if (!/^-?\d+$/.test(v))
      throw new DomainError('invalid-input', `${where}: ${column.name} "${v}" is not a whole number. Nothing was imported.`, {
        row,
        field: column.name,
      });
    return Number(v);
  }
  if (column.kind === 'bool') {
    const t = v.toLowerCase();
    if (['true', 'yes', '1', 'y', 'on'].includes(t)) return true;
    if (['false', 'no', '0', 'n', 'off'].includes(t)) return false;
    throw new DomainError('invalid-input', `${where}: ${column.name} "${v}" is not yes/no (use true or false). Nothing was imported.`, {
      row,
      field: column.name,
    });
  }
  return v;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** Export neutralises formula-like cells with a `'` (the one CSV writer); import removes one. */
const unescapeFormula = unneutralise;

/** Parsed rows with the file line each starts on (a quoted cell may span lines); blank lines dropped. */
function rowsWithLines(text: string): { cells: string[]; line: number }[] {
  const body = text.replace(/^\uFEFF/, '');
  // The delimiter is read from the header alone (a spreadsheet may save with `;` or tabs): left
  // to guess from the whole file, Papa Parse takes a `;` in an alias for the delimiter.
  const header = /^[^\r\n]*/.exec(body)?.[0] ?? '';
  const delimiter = [',', ';', '\t'].find((d) => header.includes(d)) ?? ',';
  const parsed = Papa.parse<string[]>(body, { delimiter });
  const rows: { cells: string[]; line: number }[] = [];
  let line = 1;
  for (const cells of parsed.data) {
    if (cells.some((c) => c.trim() !== '')) rows.push({ cells, line });
    line += 1 + cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  }
  return rows;
}

export function parseFleetCsv(text: string): FleetRecords {
  const numbered = rowsWithLines(text);
  const rows = numbered.map((r) => r.cells);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  if (!header.includes('kind') || !header.includes('ip')) {
    throw new DomainError(
      'invalid-input',
      'Not a Switchyard fleet CSV: the first line must be the header (kind,ip,alias,type,...). Nothing was imported.',
      { row: 1 },
    );
  }
  const unknown = header.filter((h) => h !== 'kind' && !SERVER_COLUMNS.some((c) => c.name === h));
  if (unknown.length > 0) {
    throw new DomainError('invalid-input', `Line 1: unknown column(s) ${unknown.join(', ')}. Nothing was imported.`, {
      row: 1,
      field: unknown[0] ?? '',
    });
  }
  const records: FleetRecords = { zones: [], clusters: [], servers: [], rtpServers: [] };
  numbered.slice(1).forEach(({ cells, line }) => {
    const where = `Line ${line}`;
    if (cells.length !== header.length) {
      throw new DomainError(
        'invalid-input',
        `${where}: ${cells.length} cells where the header has ${header.length}. Nothing was imported.`,
        { row: line },
      );
    }
    const cell = (name: string) => unescapeFormula(cells[header.indexOf(name)] ?? '');
    const kind = cell('kind').trim().toLowerCase();
    if (kind === 'rtp') {
      const rtp = FileRtp.safeParse({ ip: cell('ip'), alias: cell('alias'), zone: cell('zone') });
      if (!rtp.success) throw recordError(where, line, rtp.error);
      records.rtpServers.push({ row: line, label: where, rtp: rtp.data });
      return;
    }
    if (kind !== 'server') {
      throw new DomainError('invalid-input', `${where}: kind "${kind}" must be server or rtp. Nothing was imported.`, {
        row: line,
        field: 'kind',
      });
    }
    const raw: Record<string, unknown> = {};
    for (const column of SERVER_COLUMNS) {
      if (!header.includes(column.name)) continue;
      const value = cell(column.name);
      if (value.trim() === '') continue;
      setPath(raw, column.path, convert(value, column, where, line));
    }
    const server = FileServer.safeParse(raw);
    if (!server.success) throw recordError(where, line, server.error, csvColumnFor);
    records.servers.push({ row: line, label: `${where} (${server.data.ip})`, server: server.data });
  });
  return records;
}

function cellsOf(server: Record<string, unknown>): string[] {
  return SERVER_COLUMNS.map((column) => {
    let value: unknown = server;
    for (const key of column.path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
    if (value === null || value === undefined) return '';
    if (column.kind === 'date') return new Date(value as number).toISOString();
    return String(value);
  });
}

export function formatFleetCsv(fleet: FleetExport): string {
  const rows = [
    ...fleet.servers.map((s) => ['server', ...cellsOf(s as unknown as Record<string, unknown>)]),
    ...fleet.rtpServers.map((r) =>
      CSV_HEADER.map((h) => (h === 'kind' ? 'rtp' : h === 'ip' ? r.ip : h === 'alias' ? r.alias : h === 'zone' ? r.zone : '')),
    ),
  ];
  return formatCsv(CSV_HEADER, rows, { newline: '\n' });
}
