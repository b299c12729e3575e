import { createAlertsRuntime, type AlertsRuntime, type AlertsRuntimeDeps } from '../services/alerts/alerts-runtime';
import { APIBAN_KEY_SECRET } from '../services/apiban/apiban-service';
import type { HostCore } from './core-wiring';
import type { FleetWiring } from './fleet-wiring';
import type { MonitoringWiring } from './monitoring-wiring';

// Alerting for the composition root (app.ts): the runtime, fed every probe sample while its
// engine runs, and its rules kept in step with the fleet (scopes, names in messages, paused servers).

/** Alert delivery overrides for tests (transports, tick). */
export type AlertsRuntimeOverrides = Partial<
  Pick<AlertsRuntimeDeps, 'transportOf' | 'tickMs' | 'periodicMs' | 'stopGraceMs' | 'quietMs' | 'maxWaitMs'>
>;

export function createAlertsWiring(
  core: Pick<HostCore, 'store' | 'clock' | 'secrets' | 'bus' | 'log'>,
  fleetWiring: Pick<FleetWiring, 'onChanged'>,
  monitoringWiring: Pick<MonitoringWiring, 'onSample'>,
  options: { version: string; who: () => string; alertsRuntime?: AlertsRuntimeOverrides | undefined },
): AlertsRuntime {
  const { secrets, bus } = core;
  const alerts = createAlertsRuntime({
    store: core.store,
    clock: core.clock,
    secrets,
    version: options.version,
    who: options.who,
    apibanKeySet: () => secrets.get(APIBAN_KEY_SECRET) !== null,
    notify: (push) => bus.emit('alerts:notify', push),
    emitChanged: (push) => bus.emit('alerts:changed', push),
    log: core.log,
    ...options.alertsRuntime,
  });
  monitoringWiring.onSample((sample) => {
    if (alerts.engine.running) alerts.engine.observe(sample);
  });
  fleetWiring.onChanged((entity) => {
    if (entity !== 'settings' && entity !== 'rtp') alerts.fleetChanged();
  });
  return alerts;
}
