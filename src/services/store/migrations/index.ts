import { sql as inventory } from './001-inventory';
import { sql as monitoring } from './002-monitoring';
import { sql as toolRuns } from './003-tool-runs';

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
];

export const LATEST_VERSION = MIGRATIONS.length;
