import type { AccountsDirectory } from '../../services/accounts/accounts-types';
import type { AuditLog } from '../../services/audit/audit-types';
import type { SnapshotUploads } from './snapshot-upload';
import type { TeamConfig } from './team-config';
import { startTeamHost, type TeamHost } from './team-server';
import type { WebHostApp } from './server';

// `switchyard serve` in team mode: the opened host's accounts and audit log handed to the team
// web host (its own module, so the loopback host never loads the team code).

export interface TeamServeApp extends WebHostApp {
  readonly accounts: AccountsDirectory;
  readonly audit: AuditLog;
}

export function startTeamServe(options: {
  app: TeamServeApp;
  config: TeamConfig;
  staticDir: string;
  snapshotUploads: SnapshotUploads;
  metrics?: { render: () => string; token: string };
  log: (message: string) => void;
}): Promise<TeamHost> {
  return startTeamHost({
    app: options.app,
    config: options.config,
    accounts: options.app.accounts,
    audit: options.app.audit,
    staticDir: options.staticDir,
    snapshotUploads: options.snapshotUploads,
    log: options.log,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
}
