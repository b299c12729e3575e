import { existsSync } from 'node:fs';
import type { FleetService } from '../services/fleet/fleet-service';
import { defaultRecipeBook, loadRecipeBook } from '../services/actions/recipes';
import { createDeployService, type DeployService } from '../services/platform/deploy-service';
import { createPlatformService, type PlatformService } from '../services/platform/platform-service';
import type { SecretStore } from '../services/secrets/secret-store';
import type { SshPool } from '../services/ssh/pool';
import type { Store } from '../services/store/store';
import type { EventBus } from './event-bus';

// The platform rules and deployments, built for the composition root (app.ts).

export interface PlatformWiringDeps {
  store: Store;
  clock: () => number;
  bus: EventBus;
  fleet: FleetService;
  sshPool: SshPool;
  secrets: SecretStore;
  /** The recipe book override (the same file server actions use); the shipped book otherwise. */
  recipesFile: string;
}

export function createPlatformWiring(deps: PlatformWiringDeps): { platform: PlatformService; deploy: DeployService } {
  const settings = () => deps.fleet.settings.get();
  return {
    platform: createPlatformService({ store: deps.store, clock: deps.clock, settings }),
    deploy: createDeployService({
      store: deps.store,
      clock: deps.clock,
      availableBalanceCents: () => settings().availableBalanceCents,
      // Read at each deployment, so an edited override applies without a restart.
      recipes: () => (existsSync(deps.recipesFile) ? loadRecipeBook(deps.recipesFile) : defaultRecipeBook()),
      ssh: deps.sshPool,
      secrets: deps.secrets,
      createServer: (draft) => deps.fleet.servers.create(draft),
      emit: (update) => deps.bus.emit('platform:deploy-update', update),
    }),
  };
}
