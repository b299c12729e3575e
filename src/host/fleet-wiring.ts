import type { FleetEntity } from '../contract/events';
import type { ServerStatus } from '../contract/fleet';
import { createFleetService, type FleetService } from '../services/fleet/fleet-service';
import type { HostCore } from './core-wiring';

// The fleet for the composition root (app.ts). Areas built after it that follow the fleet
// (monitoring, vantage points, alert rules) subscribe to `changed`, in the order they are built;
// `fleet:changed` goes to the UI after all of them.

export type FleetChangedListener = (entity: FleetEntity) => void;

export interface FleetWiring {
  fleet: FleetService;
  /** Subscribe to every fleet change: servers, clusters, zones, RTP servers, settings, or all. */
  onChanged(listener: FleetChangedListener): void;
  /** Where each server's live status comes from (monitoring, once built); none until then. */
  liveStatusFrom(source: (serverId: string) => ServerStatus | null): void;
}

export function createFleetWiring(core: Pick<HostCore, 'store' | 'clock' | 'bus'>): FleetWiring {
  const listeners: FleetChangedListener[] = [];
  let liveStatus: (serverId: string) => ServerStatus | null = () => null;
  const fleet = createFleetService({
    store: core.store,
    clock: core.clock,
    emit: (entity) => {
      for (const listener of listeners) listener(entity);
      core.bus.emit('fleet:changed', { entity });
    },
    liveStatus: (id) => liveStatus(id),
  });
  return {
    fleet,
    onChanged: (listener) => listeners.push(listener),
    liveStatusFrom: (source) => {
      liveStatus = source;
    },
  };
}
