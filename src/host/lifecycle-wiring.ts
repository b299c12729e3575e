import type { AlertsRuntime } from '../services/alerts/alerts-runtime';
import type { MonitoringService } from '../services/monitoring/monitoring-service';
import type { ToolsService } from '../services/tools/tools-service';
import type { HostCore } from './core-wiring';
import type { ServerWorkWiring } from './server-work-wiring';
import type { SshWiring } from './ssh-wiring';
import type { VantageWiring } from './vantage-wiring';

// The host's lifecycle, once every area is built: what runs in the background (in one list, in
// the order it starts), what counts as work in flight when a snapshot is about to open, and how
// the host closes.

export interface LifecycleAreas {
  monitoring: MonitoringService;
  alerts: AlertsRuntime;
  tools: ToolsService;
  ssh: SshWiring;
  vantage: VantageWiring;
  work: ServerWorkWiring;
}

export function registerLifecycle(core: Pick<HostCore, 'flags' | 'background' | 'addBusy'>, areas: LifecycleAreas): void {
  const { flags, background } = core;
  const { monitoring, alerts, work } = areas;
  const { loads } = work.actions.handlerDeps;
  core.addBusy(() => [...areas.tools.running(), ...work.actions.handlerDeps.actions.running(), ...work.platform.deploy.running()]);
  background.add({ name: 'load polling', start: () => (flags.loadPolling ? loads.start() : undefined), stop: () => loads.stop() });
  if (flags.monitoringOn) background.add({ name: 'monitoring', start: () => monitoring.start(), stop: () => monitoring.stop() });
  if (flags.alertsOn) background.add({ name: 'alerts', start: () => alerts.start(), stop: () => alerts.stop() });
  const { apibanScheduler } = work.certsApibanRegistrations;
  if (flags.apibanOn) background.add({ name: 'APIBAN schedule', start: () => apibanScheduler.start(), stop: () => apibanScheduler.stop() });
  // Daily served-certificate checks and ACME renewal: a host that may change things does them.
  if ((flags.monitoringOn || flags.alertsOn) && !flags.readOnlyHost) background.add(work.certDeploy.upkeep);
  if (flags.vantageOn) background.add(areas.vantage.task);
}

export function closeHost(
  core: Pick<HostCore, 'flags' | 'background' | 'sessions' | 'liveStore' | 'log'>,
  areas: LifecycleAreas,
): () => Promise<void> {
  const { flags, log } = core;
  return () => {
    // Runs are cancelled and prompts refused first; their last writes find the store closed and are dropped.
    void areas.tools.close();
    areas.work.actions.close();
    areas.work.callsDispatcher.close();
    areas.ssh.hostKeyPrompts.close();
    areas.ssh.sshPool.closeAll();
    const stopped = core.background.stop();
    const closeStores = () => {
      core.sessions.shutdown();
      core.liveStore?.close();
    };
    // Without background work everything closes at once, as one-shot commands expect; with it,
    // the probes in flight end, the last samples are written and alerts in flight are delivered
    // (or left pending for the next start) before the store closes.
    if (!flags.monitoringOn && !flags.alertsOn && !flags.apibanOn && !flags.vantageOn) {
      closeStores();
      return Promise.resolve();
    }
    const monitoringClosed = flags.monitoringOn ? areas.monitoring.close() : Promise.resolve();
    return Promise.all([stopped, monitoringClosed])
      .then(() => undefined)
      .catch((error: unknown) => log(`[switchyard] stopping background work failed: ${String(error)}`))
      .finally(closeStores);
  };
}
