import type { AppInfo } from '../contract/app';
import type { FleetService } from '../services/fleet/fleet-service';
import type { Handlers } from './dispatch';
import { fleetHandlers } from './handlers/fleet-handlers';

export interface HandlerDeps {
  fleet: FleetService;
  info: () => AppInfo;
}

/**
 * The contract bound to the services, one file per area, each line calling a service and holding
 * no logic of its own. The `Handlers` type makes a method without a handler a compile error.
 */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    ...fleetHandlers(deps),
  };
}
