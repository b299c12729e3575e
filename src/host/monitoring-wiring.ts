import { MonitoringService } from '../services/monitoring/monitoring-service';
import { systemClock, type Clock } from '../services/probes/clock';
import type { Sample } from '../domain/monitoring/sample';
import type { HostCore } from './core-wiring';
import type { FleetWiring } from './fleet-wiring';

// Live monitoring for the composition root (app.ts): follows the fleet (servers added, edited,
// stopped, deleted; settings changed), gives the fleet each server's live status, and hands
// every sample to whoever subscribes (alerts first, as built, then metrics).

export type SampleListener = (sample: Sample) => void;

export interface MonitoringWiring {
  monitoring: MonitoringService;
  /** Every probe sample as it arrives; returns the unsubscribe. */
  onSample(listener: SampleListener): () => void;
}

export function createMonitoringWiring(
  core: Pick<HostCore, 'store' | 'log' | 'bus' | 'sessions'>,
  fleetWiring: FleetWiring,
  options: { probeClock?: Clock | undefined; version: string },
): MonitoringWiring {
  const { sessions, bus } = core;
  const { fleet } = fleetWiring;
  const listeners = new Set<SampleListener>();
  const monitoring = new MonitoringService({
    store: core.store,
    settings: () => fleet.settings.get(),
    clock: options.probeClock ?? systemClock(),
    version: options.version,
    log: core.log,
    // Built by the live state from its own typed columns (its test holds it to the contract).
    onSamples: (payload) => bus.emitOwn('monitoring:samples', payload),
    samplesWanted: () => bus.wanted('monitoring:samples'),
    onStatusChanged: (payload) => bus.emit('monitoring:status-changed', payload),
    shownAt: () => sessions.snapshot?.meta.takenAt ?? null,
    observeSample: (sample) => {
      for (const listener of listeners) listener(sample);
    },
  });
  fleetWiring.onChanged((entity) => {
    if (entity === 'servers' || entity === 'all') monitoring.syncFleet();
    if (entity === 'settings' || entity === 'all') monitoring.reloadSettings();
  });
  // A snapshot shows the fleet as stored then, never the probes' view of the live fleet now.
  fleetWiring.liveStatusFrom((id) => (sessions.snapshot === null ? monitoring.liveStatus(id) : null));
  return {
    monitoring,
    onSample: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
