import type { FleetFormat } from '../../contract/fleet';
import { DomainError, type FieldIssue } from '../errors';

// How an import names a refused record's problems, for the CLI and the import dialog alike: one
// line per problem, "Row 1, field ip: 999.1.1.1 is not an IP address (IPv4 or IPv6).", and a last
// line saying that nothing was imported.

/** Where a record sits: its CSV line, or its position in the JSON file's servers or rtpServers. */
export function importPlace(format: FleetFormat, row: number, label: string): string {
  if (format === 'csv') return `Line ${row}`;
  return label.startsWith('RTP server') ? `RTP server row ${row}` : `Row ${row}`;
}

export function importProblemLine(place: string, field: string | null, why: string): string {
  const text = why.trim().replace(/\s*Nothing was imported\.$/, '');
  return field ? `${place}, field ${field}: ${text}` : `${place}: ${text}`;
}

/**
 * Refuses a record with every one of its problems (not only the first), each on its own line.
 * `fileField` turns a draft's field into the name the file uses (`zoneId` → `zone`, a CSV column).
 */
export function refuseImportRecord(issues: readonly FieldIssue[], place: string, row: number, fileField: (field: string) => string): void {
  const first = issues[0];
  if (!first) return;
  const lines = issues.map((issue) => ({
    field: fileField(issue.field),
    message: importProblemLine(place, fileField(issue.field), issue.message),
  }));
  const message = [...lines.map((l) => l.message), 'Nothing was imported.'].join('\n');
  throw new DomainError(issues.some((i) => i.conflict) ? 'conflict' : 'invalid-input', message, {
    row,
    field: lines[0]!.field,
    issues: lines,
  });
}
