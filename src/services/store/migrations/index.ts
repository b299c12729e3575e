import { sql as inventory } from './001-inventory';
import { sql as monitoring } from './002-monitoring';
import { sql as toolRuns } from './003-tool-runs';
import { sql as actionRuns } from './004-action-runs';
import { sql as monitoringStatus } from './005-monitoring-status';
import { sql as certificatesApiban } from './006-certificates-apiban';
import { sql as pastedSip } from './007-pasted-sip';
import { sql as alerts } from './008-alerts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Forward-only and append-only: a released migration is never edited, a change is a new entry.
 * Versions are consecutive from 1; a test replays them all on a fresh database.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'inventory', sql: inventory },
  { version: 2, name: 'monitoring', sql: monitoring },
  { version: 3, name: 'tool-runs', sql: toolRuns },
  { version: 4, name: 'action-runs', sql: actionRuns },
  { version: 5, name: 'monitoring-status', sql: monitoringStatus },
  { version: 6, name: 'certificates-apiban', sql: certificatesApiban },
  { version: 7, name: 'pasted-sip', sql: pastedSip },
  { version: 8, name: 'alerts', sql: alerts },
];

export const LATEST_VERSION = MIGRATIONS.length;
