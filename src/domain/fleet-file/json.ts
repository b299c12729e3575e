import { DomainError } from '../errors';
import { recordError } from './issues';
import { FileRtp, FileServer, FleetFileSchema, type FleetRecords } from './records';

const MAX_BYTES = 50_000_000;

/** Reads a fleet JSON file; throws a DomainError naming the record (1-based) and field. */
export function parseFleetJson(text: string): FleetRecords {
  if (text.length > MAX_BYTES) throw new DomainError('invalid-input', 'The file is larger than 50 MB; nothing was imported.');
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DomainError('invalid-input', `The file is not valid JSON (${(error as Error).message}). Nothing was imported.`);
  }
  const file = FleetFileSchema.safeParse(data);
  if (!file.success) {
    const issue = file.error.issues[0];
    const where = issue?.path.map(String).join('.') ?? '';
    const hint = where === 'switchyard' || where === 'version' ? ' (expected "switchyard": "fleet", "version": 1)' : '';
    throw new DomainError(
      'invalid-input',
      `Not a Switchyard fleet file: ${where || 'the top level'} ${issue?.message ?? ''}${hint}. Nothing was imported.`,
      {
        field: where,
      },
    );
  }
  const servers = file.data.servers.map((raw, i) => {
    const label = labelOf(raw, i, 'Server');
    const parsed = FileServer.safeParse(raw);
    if (!parsed.success) throw recordError(label, i + 1, parsed.error);
    return { row: i + 1, label, server: parsed.data };
  });
  const rtpServers = file.data.rtpServers.map((raw, i) => {
    const label = labelOf(raw, i, 'RTP server');
    const parsed = FileRtp.safeParse(raw);
    if (!parsed.success) throw recordError(label, i + 1, parsed.error);
    return { row: i + 1, label, rtp: parsed.data };
  });
  return { zones: file.data.zones, clusters: file.data.clusters, servers, rtpServers };
}

function labelOf(raw: unknown, index: number, what: string): string {
  const ip = raw !== null && typeof raw === 'object' && 'ip' in raw && typeof raw.ip === 'string' ? ` (${raw.ip.slice(0, 64)})` : '';
  return `${what} ${index + 1}${ip}`;
}

export interface FleetExport {
  zones: { name: string; description: string }[];
  clusters: { name: string; description: string }[];
  servers: FileServer[];
  rtpServers: FileRtp[];
}

export function formatFleetJson(fleet: FleetExport, exportedAt: number): string {
  const servers = fleet.servers.map((s) => ({
    ...s,
    expires: s.expires === null ? null : new Date(s.expires).toISOString(),
  }));
  return `${JSON.stringify(
    { switchyard: 'fleet', version: 1, exportedAt: new Date(exportedAt).toISOString(), ...fleet, servers },
    null,
    2,
  )}\n`;
}
