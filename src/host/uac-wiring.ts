import { DomainError } from '../domain/errors';
import { currentRecipeBook } from '../services/actions/recipes';
import type { ServerExec } from '../services/ssh/server-exec';
import type { SecretStore } from '../services/secrets/secret-store';
import { sshTargetOf } from '../services/ssh/app-ssh';
import type { SshPool } from '../services/ssh/pool';
import type { Store } from '../services/store/store';
import { createUacService, type UacService } from '../services/uac/uac-service';
import type { EventBus } from './event-bus';

// UAC Auth built for the composition root (app.ts): the service, Install Server's last step
// (push the upstream list), and the load poll's hook (read the registrations' state). Nothing is
// read from or pushed to the servers while a snapshot is shown.

export interface UacWiringDeps {
  store: Store;
  clock: () => number;
  bus: EventBus;
  sshPool: SshPool;
  secrets: SecretStore;
  recipesFile: string;
  snapshotShown: () => boolean;
}

export function createUacWiring(deps: UacWiringDeps): { uac: UacService } {
  const recipes = () => currentRecipeBook(deps.recipesFile);
  const exec: ServerExec = (server, argv, options) =>
    deps.snapshotShown()
      ? Promise.reject(
          new DomainError(
            'conflict',
            "This console shows a snapshot: a server's upstream registrations are read from the live fleet only. Return to the live fleet to read them.",
          ),
        )
      : deps.sshPool.exec(sshTargetOf({ ...server, status: 'unknown' }), argv, options);
  const uac = createUacService({
    store: deps.store,
    secrets: deps.secrets,
    exec,
    recipes,
    clock: deps.clock,
    onChange: () => deps.bus.emit('fleet:changed', { entity: 'servers' }),
  });
  return { uac };
}
