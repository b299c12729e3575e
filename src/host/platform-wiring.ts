import type { RunOrigin } from '../contract/actions-methods';
import type { FleetService } from '../services/fleet/fleet-service';
import { currentRecipeBook } from '../services/actions/recipes';
import { createDeployAudit } from '../services/platform/deploy-audit';
import { createDeployService, type DeployService } from '../services/platform/deploy-service';
import { createPlatformService, type PlatformDeps, type PlatformService } from '../services/platform/platform-service';
import type { SecretStore } from '../services/secrets/secret-store';
import type { SshPool } from '../services/ssh/pool';
import type { Store } from '../services/store/store';
import { currentActor } from './audit-wiring';
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
  /** Registered contacts on one server, for the keepalive overhead (the registrations service). */
  registrationCount: (serverId: string) => Promise<number>;
  /** True while a snapshot is shown (no registrations are read from its servers). */
  snapshotShown?: () => boolean;
  /** Who deploys from this console, for the actions log (the same as for server actions). */
  who: { user: string; origin: Exclude<RunOrigin, 'automatic'> };
  /** Switchyard's own probes now (monitoring's latest), for the advisor's dispatcher check. */
  probes?: PlatformDeps['probes'];
}

export function createPlatformWiring(deps: PlatformWiringDeps): { platform: PlatformService; deploy: DeployService } {
  const settings = () => deps.fleet.settings.get();
  return {
    platform: createPlatformService({
      store: deps.store,
      clock: deps.clock,
      settings,
      registrationCount: deps.registrationCount,
      onCountProgress: (done, total) => deps.bus.emit('platform:keepalive-progress', { done, total }),
      ...(deps.snapshotShown ? { snapshotShown: deps.snapshotShown } : {}),
      ...(deps.probes ? { probes: deps.probes } : {}),
    }),
    deploy: createDeployService({
      store: deps.store,
      clock: deps.clock,
      availableBalanceCents: () => settings().availableBalanceCents,
      // Read at each deployment, so an edited override applies without a restart.
      recipes: () => currentRecipeBook(deps.recipesFile),
      ssh: deps.sshPool,
      secrets: deps.secrets,
      createServer: (draft) => deps.fleet.servers.create(draft),
      emit: (update) => deps.bus.emit('platform:deploy-update', update),
      audit: createDeployAudit({ store: deps.store, clock: deps.clock, who: deps.who, caller: currentActor }),
    }),
  };
}
