// The alert log as files: JSON with every field, CSV one row per alert for a spreadsheet or an
// incident report. Cells a spreadsheet would run as formulas are defused by the one CSV writer.
import type { Alert } from '../../contract/alerts';
import { formatCsv, type CsvValue } from '../csv/writer';

export function formatAlertsJson(alerts: readonly Alert[]): string {
  return `${JSON.stringify({ format: 'switchyard-alerts', version: 1, alerts }, null, 2)}\n`;
}

const COLUMNS = [
  'id',
  'kind',
  'severity',
  'state',
  'flapping',
  'subject',
  'server_id',
  'ip',
  'zone_id',
  'cluster_id',
  'summary',
  'value',
  'threshold',
  'rule_source',
  'started',
  'acknowledged',
  'acknowledged_by',
  'ack_note',
  'resolved',
  'resolve_note',
  'notified',
  'notifications',
  'held',
] as const;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function formatAlertsCsv(alerts: readonly Alert[]): string {
  const rows = alerts.map((a): CsvValue[] => [
    a.id,
    a.kind,
    a.severity,
    a.state,
    a.flapping ? 'yes' : 'no',
    a.subject.label,
    a.serverId,
    a.ip,
    a.zoneId,
    a.clusterId,
    a.summary,
    a.value,
    a.threshold,
    a.ruleSource,
    iso(a.startedAt),
    iso(a.acknowledgedAt),
    a.acknowledgedBy,
    a.ackNote,
    iso(a.resolvedAt),
    a.resolveNote,
    iso(a.notifiedAt),
    a.notifications,
    a.held === null ? null : `${a.held.kind}: ${a.held.reason}`,
  ]);
  return formatCsv(COLUMNS, rows);
}
