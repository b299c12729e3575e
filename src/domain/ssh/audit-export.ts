import type { ActionRunDetail } from '../../contract/actions-methods';

// The audit log as files: JSON keeps every run with its servers and whole outputs; CSV has one
// row per server of each run (what a spreadsheet or an incident report wants), output included.

export function formatRunsJson(runs: readonly ActionRunDetail[]): string {
  return `${JSON.stringify({ format: 'switchyard-action-log', version: 1, runs }, null, 2)}\n`;
}

const CSV_COLUMNS = [
  'run_id', 'action', 'user', 'origin', 'run_started', 'run_ended', 'run_status', 'stopped_by', 'params',
  'position', 'server_id', 'alias', 'ip', 'command', 'state', 'exit_code', 'error', 'started', 'ended', 'output',
] as const;

/** RFC 4180 quoting; a cell starting with = + - @ is prefixed with ' so a spreadsheet shows it as text. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function formatRunsCsv(runs: readonly ActionRunDetail[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const run of runs) {
    for (const r of run.results) {
      const row: (string | number | null)[] = [
        run.id, run.action, run.user, run.origin, iso(run.startedAt), iso(run.endedAt), run.status, run.stoppedBy,
        JSON.stringify(run.params), r.position, r.serverId, r.alias, r.ip, r.command, r.state, r.exitCode, r.error,
        iso(r.startedAt), iso(r.endedAt), r.output,
      ];
      lines.push(row.map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
