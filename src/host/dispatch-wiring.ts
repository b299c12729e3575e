import type { AppInfo } from '../contract/app';
import type { AlertsRuntime } from '../services/alerts/alerts-runtime';
import type { AuditService } from '../services/audit/audit-log';
import type { AccountsService } from '../services/accounts/accounts-service';
import type { FleetService } from '../services/fleet/fleet-service';
import type { MonitoringService } from '../services/monitoring/monitoring-service';
import type { SnapshotsService } from '../services/snapshots/snapshots-service';
import type { ToolsService } from '../services/tools/tools-service';
import type { HostCore } from './core-wiring';
import { createDispatch, type Dispatch } from './dispatch';
import { createHandlers } from './handlers';
import type { ServerWorkWiring } from './server-work-wiring';
import type { SshWiring } from './ssh-wiring';
import type { VantageWiring } from './vantage-wiring';

// The contract bound to the built areas, for the composition root (app.ts): what the console
// says about itself (`info`), and every method's handler behind the read-only rules.

export interface DispatchAreas {
  fleet: FleetService;
  monitoring: MonitoringService;
  alerts: AlertsRuntime;
  snapshots: SnapshotsService;
  tools: ToolsService;
  ssh: SshWiring;
  vantage: VantageWiring;
  work: ServerWorkWiring;
  audit: AuditService;
  accounts: AccountsService;
}

export function hostInfo(
  core: Pick<HostCore, 'flags' | 'sessions' | 'clock' | 'secrets'>,
  options: { demo?: boolean | undefined; dataDir: string },
  version: string,
): () => AppInfo {
  const { flags, sessions } = core;
  return () => ({
    name: 'Switchyard',
    version,
    mode: sessions.snapshot === null ? 'live' : 'snapshot',
    readOnly: flags.readOnlyHost || sessions.snapshot !== null,
    demo: options.demo === true && sessions.snapshot === null,
    dataDir: flags.pinned ? null : options.dataDir,
    now: core.clock(),
    secretStorage: core.secrets.kind,
    snapshot: sessions.snapshotInfo(),
  });
}

export function createHostDispatch(
  core: Pick<HostCore, 'flags' | 'sessions' | 'log'>,
  options: { readOnly?: boolean | undefined },
  info: () => AppInfo,
  areas: DispatchAreas,
): Dispatch {
  const { fleet, tools, snapshots, monitoring, alerts, work } = areas;
  const { hostKeyPrompts } = areas.ssh;
  const handlers = createHandlers({
    fleet,
    info,
    tools,
    hostKeyPrompts,
    snapshots,
    monitoring,
    alerts,
    uac: work.uac,
    media: work.media,
    vantage: areas.vantage.vantage,
    ...work.actions.handlerDeps,
    dispatcherViews: work.callsDispatcher.dispatcherViews,
    ...work.platform,
    ...work.certsApibanRegistrations,
    certDeploy: work.certDeploy.certDeploy,
    acme: work.certDeploy.acme,
    audit: areas.audit,
    accounts: areas.accounts,
  });
  return createDispatch(handlers, {
    readOnlyReason: () =>
      core.sessions.refusal() ??
      (core.flags.readOnlyHost ? 'This console is read-only (started with --read-only): nothing can be changed from here.' : null),
    // A `--read-only` host (a wall display) also refuses what the contract says has effects: files
    // written, processes, connections, the shared view. A host started on a snapshot has none of
    // the live fleet's to protect and keeps its own rules (its session refuses leaving it).
    hostReadOnlyReason: () =>
      options.readOnly === true
        ? 'This console is read-only (started with --read-only): nothing can be changed, run or switched from here.'
        : null,
    onInternalError: (method, error) => core.log(`[switchyard] ${method} failed: ${error instanceof Error ? error.stack : String(error)}`),
  });
}
