import { sql as inventory } from './001-inventory';
import { sql as monitoring } from './002-monitoring';
import { sql as toolRuns } from './003-tool-runs';
import { sql as actionRuns } from './004-action-runs';
import { sql as monitoringStatus } from './005-monitoring-status';
import { sql as certificatesApiban } from './006-certificates-apiban';
import { sql as pastedSip } from './007-pasted-sip';
import { sql as alerts } from './008-alerts';
import { sql as serverActions } from './009-server-actions';
import { sql as callsDispatcher } from './010-calls-dispatcher';
import { sql as certificateDeploy } from './011-certificate-deploy';
import { sql as apibanSchedule } from './012-apiban-schedule';
import { sql as uacUpstreams } from './013-uac-upstreams';
import { sql as vantage } from './014-vantage';
import { sql as mediaZone } from './015-media-zone';
import { sql as statusReach } from './016-status-reach';
import { sql as sampleChunks } from './017-sample-chunks';
import { sql as accounts } from './018-accounts';
import { sql as auditLog } from './019-audit-log';
import { sql as rollupBlocks } from './020-rollup-blocks';
import { sql as rollupCloseSlices } from './021-rollup-close-slices';
import { sql as rawByMinute } from './022-raw-by-minute';

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
  { version: 9, name: 'server-actions', sql: serverActions },
  { version: 10, name: 'calls-dispatcher', sql: callsDispatcher },
  { version: 11, name: 'certificate-deploy', sql: certificateDeploy },
  { version: 12, name: 'apiban-schedule', sql: apibanSchedule },
  { version: 13, name: 'uac-upstreams', sql: uacUpstreams },
  { version: 14, name: 'vantage', sql: vantage },
  { version: 15, name: 'media-zone', sql: mediaZone },
  { version: 16, name: 'status-reach', sql: statusReach },
  { version: 17, name: 'sample-chunks', sql: sampleChunks },
  { version: 18, name: 'accounts', sql: accounts },
  { version: 19, name: 'audit-log', sql: auditLog },
  { version: 20, name: 'rollup-blocks', sql: rollupBlocks },
  { version: 21, name: 'rollup-close-slices', sql: rollupCloseSlices },
  { version: 22, name: 'raw-by-minute', sql: rawByMinute },
];

// The highest version, not the count: while a numbered migration is still being written the two
// differ, and the store must not mistake its own schema for a newer one (the replay test flags the gap).
export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
