import { randomUUID } from 'node:crypto';
import type { FleetEntity } from '../../contract/events';
import type { ServerStatus } from '../../contract/fleet';
import type { FleetContext } from '../../domain/fleet/rules';
import type { Store } from '../store/store';

export interface FleetDeps {
  store: Store;
  clock: () => number;
  /** Tells the UI what changed, after the change is committed. */
  emit: (entity: FleetEntity) => void;
  /** Monitoring's verdict on a running server (online, degraded, down); null while it has none. */
  liveStatus?: (serverId: string) => ServerStatus | null;
}

export const newId = (): string => randomUUID();

/** The rest of the fleet as the domain rules see it. */
export function fleetContext(store: Store): FleetContext {
  return { servers: store.servers.list(), zones: store.zones.list(), clusters: store.clusters.list() };
}
