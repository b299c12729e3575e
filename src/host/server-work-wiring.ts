import path from 'node:path';
import type { AlertsRuntime } from '../services/alerts/alerts-runtime';
import type { FleetService } from '../services/fleet/fleet-service';
import type { MonitoringService } from '../services/monitoring/monitoring-service';
import { createActionsWiring, type ActionsHostOptions } from './actions-wiring';
import { createCallsDispatcherWiring } from './calls-dispatcher-wiring';
import { createCertDeployWiring } from './cert-deploy-wiring';
import { createCertificatesApibanRegistrationsWiring } from './certificates-apiban-registrations-wiring';
import type { HostCore } from './core-wiring';
import { createMediaWiring } from './media-wiring';
import { createPlatformWiring } from './platform-wiring';
import type { SshWiring } from './ssh-wiring';
import { createUacWiring } from './uac-wiring';

// Everything that works on the servers over the shared SSH pool, for the composition root
// (app.ts): calls and dispatcher views, UAC, server actions with their load polls,
// certificates/APIBAN/registrations, certificate deployment, the platform, media. Built in
// dependency order: the load poll feeds calls, dispatcher and UAC; Install Server ends with UAC's
// push; the platform counts registrations. Alerts are built before: maintenance around runs, and
// each load poll and scheduled APIBAN run re-checked at once.

export function createServerWorkWiring(
  core: Pick<HostCore, 'store' | 'clock' | 'bus' | 'secrets' | 'sessions' | 'log' | 'flags'>,
  areas: { fleet: FleetService; monitoring: MonitoringService; alerts: AlertsRuntime; ssh: Pick<SshWiring, 'sshPool'> },
  options: {
    dataDir: string;
    actions?: ActionsHostOptions | undefined;
    apibanScheduler?: { maxWaitMs?: number; minWaitMs?: number } | undefined;
  },
) {
  const { store, clock, bus, secrets, sessions, log } = core;
  const { fleet, monitoring, alerts } = areas;
  const { sshPool } = areas.ssh;
  const recipesFile = options.actions?.recipesFile ?? path.join(options.dataDir, 'recipes.json');
  const snapshotShown = () => sessions.snapshot !== null;
  const callsDispatcher = createCallsDispatcherWiring({
    store,
    clock,
    bus,
    sshPool,
    recipesFile,
    snapshotShown,
    probes: (ids) => monitoring.latest(ids),
  });
  const uacWiring = createUacWiring({ store, clock, bus, sshPool, secrets, recipesFile, snapshotShown });
  const actions = createActionsWiring({
    store,
    clock,
    bus,
    sshPool,
    secrets,
    dataDir: options.dataDir,
    readOnly: core.flags.readOnlyHost,
    log,
    ...options.actions,
    background: false,
    pollHooks: { ...callsDispatcher.hooks, readUac: (serverId) => uacWiring.uac.pollRead(serverId) },
    afterInstall: (server, run) => uacWiring.uac.push(server, run),
    afterInstallNote: (server) => uacWiring.uac.installNote(server),
    maintenance: alerts.maintenance,
    snapshotShown,
    onPoll: (serverId, ok, error, at) => {
      if (alerts.engine.running) alerts.engine.pollResult(serverId, ok, error, at);
    },
  });
  callsDispatcher.usageFrom((ids) => actions.handlerDeps.loads.usage(ids));
  const certsApibanRegistrations = createCertificatesApibanRegistrationsWiring({
    store,
    clock,
    bus,
    sshPool,
    secrets,
    recipesFile,
    snapshotShown,
    log,
    ...(options.apibanScheduler ? { schedulerTiming: options.apibanScheduler } : {}),
    // A scheduled sync or apply that failed is an alert at once (and one that worked clears it), not at the next minute's check.
    onApibanRun: () => {
      if (alerts.engine.running) alerts.engine.checkPeriodic(clock());
    },
  });
  const certDeploy = createCertDeployWiring({
    store,
    clock,
    bus,
    sshPool,
    secrets,
    certificates: certsApibanRegistrations.certificates,
    log,
    recipesFile,
    snapshotShown,
  });
  const platform = createPlatformWiring({
    store,
    clock,
    bus,
    fleet,
    sshPool,
    secrets,
    recipesFile,
    // The operator asked for the counts: read now, not from a recent read.
    registrationCount: async (id) => (await certsApibanRegistrations.registrations.forServer(id)).contactCount,
    snapshotShown,
    who: actions.who,
    probes: (ids) => monitoring.latest(ids),
  });
  const media = createMediaWiring({ store, clock, bus, sshPool, snapshotShown });
  return { callsDispatcher, uac: uacWiring.uac, actions, certsApibanRegistrations, certDeploy, platform, media };
}

export type ServerWorkWiring = ReturnType<typeof createServerWorkWiring>;
