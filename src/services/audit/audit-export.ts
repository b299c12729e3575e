// The audit log as files: JSON with every field, CSV one row per line for a spreadsheet or an
// incident report. Account names and details come from outside (a name tried at sign-in, an
// alias), so the one CSV writer defuses anything a spreadsheet would run as a formula.
import type { AuditEntry } from '../../contract/audit-methods';
import { formatCsv, type CsvValue } from '../../domain/csv/writer';

export function formatAuditJson(entries: readonly AuditEntry[]): string {
  return `${JSON.stringify({ format: 'switchyard-audit-log', version: 1, entries }, null, 2)}\n`;
}

const COLUMNS = ['id', 'at', 'kind', 'account', 'address', 'detail'] as const;

export function formatAuditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((e): CsvValue[] => [e.id, new Date(e.at).toISOString(), e.kind, e.account, e.address, e.detail]);
  return formatCsv(COLUMNS, rows);
}
