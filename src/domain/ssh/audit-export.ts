import type { ActionRunDetail } from '../../contract/actions-methods';
import { csvCell, formatCsv, type CsvValue } from '../csv/writer';

// The audit log as files: JSON keeps every run with its servers and whole outputs; CSV has one
// row per server of each run (what a spreadsheet or an incident report wants), output included.

/** The one CSV writer's cell rule, still importable from here by older callers. */
export { csvCell };

export function formatRunsJson(runs: readonly ActionRunDetail[]): string {
  return `${JSON.stringify({ format: 'switchyard-action-log', version: 1, runs }, null, 2)}\n`;
}

const CSV_COLUMNS = [
  'run_id',
  'action',
  'user',
  'account',
  'address',
  'origin',
  'run_started',
  'run_ended',
  'run_status',
  'stopped_by',
  'params',
  'position',
  'server_id',
  'alias',
  'ip',
  'command',
  'state',
  'exit_code',
  'error',
  'started',
  'ended',
  'output',
] as const;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function formatRunsCsv(runs: readonly ActionRunDetail[]): string {
  const rows: CsvValue[][] = [];
  for (const run of runs) {
    for (const r of run.results) {
      rows.push([
        run.id,
        run.action,
        run.user,
        run.account,
        run.address,
        run.origin,
        iso(run.startedAt),
        iso(run.endedAt),
        run.status,
        run.stoppedBy,
        JSON.stringify(run.params),
        r.position,
        r.serverId,
        r.alias,
        r.ip,
        r.command,
        r.state,
        r.exitCode,
        r.error,
        iso(r.startedAt),
        iso(r.endedAt),
        r.output,
      ]);
    }
  }
  return formatCsv(CSV_COLUMNS, rows);
}
