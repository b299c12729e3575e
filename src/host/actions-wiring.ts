import path from 'node:path';
import type { RunOrigin } from '../contract/actions-methods';
import { createActionsService, type ActionsDeps, type ActionsService, type RunMaintenance } from '../services/actions/actions-service';
import { createInstallCommands, type InstallCommands } from '../services/actions/install-commands';
import { createLoadPoller, type LoadPoller, type LoadPollerDeps } from '../services/actions/load-poller';
import { currentRecipeBook } from '../services/actions/recipes';
import { localUserName } from '../services/shared/local-user';
import { createPowerRunner, powerPasswordKey } from '../services/power/power-runner';
import { createPowerService, type PowerService } from '../services/power/power-service';
import type { SecretStore } from '../services/secrets/secret-store';
import { sshTargetOf } from '../services/ssh/app-ssh';
import type { SshPool } from '../services/ssh/pool';
import { createServerSecrets, type ServerSecrets } from '../services/ssh/server-secrets';
import type { Store } from '../services/store/store';
import { currentActor } from './audit-wiring';
import type { EventBus } from './event-bus';

// Server actions, their audit log and the load polls, built for the composition root (app.ts).

export interface ActionsHostOptions {
  /** How this console is used, recorded with every run beside the OS user; 'web' by default. */
  origin?: Exclude<RunOrigin, 'automatic'>;
  /** The OS user recorded with every run; the process owner by default. */
  user?: string;
  /** A recipe book replacing the shipped one; `<data folder>/recipes.json` when it exists. */
  recipesFile?: string;
  /**
   * Background work: the load of every server read over SSH every 30 s, the stale flag, and
   * Auto Upgrade. Off by default (CLI commands and tests open the host without it); never in
   * read-only mode.
   */
  background?: boolean;
  /** Load poll interval; 30 s by default. */
  loadIntervalMs?: number;
  /** Throttle of `actions:run-update` events. */
  throttleMs?: number;
}

/** What the alerts side hands the actions: maintenance around runs, and each load poll's outcome. */
export interface ActionsAlertHooks {
  maintenance?: RunMaintenance;
  onPoll?: LoadPollerDeps['onPoll'];
}

export interface ActionsWiringDeps extends ActionsHostOptions, ActionsAlertHooks {
  store: Store;
  clock: () => number;
  bus: EventBus;
  sshPool: SshPool;
  secrets: SecretStore;
  dataDir: string;
  readOnly: boolean;
  log(message: string): void;
  /** True while a snapshot is shown: its servers' power controllers are not asked anything. */
  snapshotShown?: () => boolean;
  /** After each load poll: push the server's live calls; on a dispatcher, read its destinations. */
  pollHooks?: Pick<LoadPollerDeps, 'onUsage' | 'readDispatcher' | 'readUac'>;
  /** Install Server's last step per server (UAC Auth pushes its upstream registrations). */
  afterInstall?: ActionsDeps['afterInstall'];
  afterInstallNote?: ActionsDeps['afterInstallNote'];
}

export interface ActionsWiring {
  handlerDeps: {
    actions: ActionsService;
    loads: LoadPoller;
    serverSecrets: ServerSecrets;
    installCommands: InstallCommands;
    power: PowerService;
  };
  /** Who runs actions from this console, recorded with every run (deployments too). */
  who: { user: string; origin: Exclude<RunOrigin, 'automatic'> };
  close(): void;
}

/** Who runs actions from this console: known before the actions are built (alerts and snapshots record it too). */
export function actionsWho(options: Pick<ActionsHostOptions, 'user' | 'origin'> = {}): ActionsWiring['who'] {
  return { user: options.user ?? localUserName(), origin: options.origin ?? 'web' };
}

export function createActionsWiring(deps: ActionsWiringDeps): ActionsWiring {
  const overrideFile = deps.recipesFile ?? path.join(deps.dataDir, 'recipes.json');
  // Read at each use, so an edited override applies to the next plan without a restart.
  const recipes = () => currentRecipeBook(overrideFile);
  const exec = (
    server: Parameters<typeof sshTargetOf>[0] | Omit<Parameters<typeof sshTargetOf>[0], 'status'>,
    argv: readonly string[],
    options: Parameters<SshPool['exec']>[2],
  ) => deps.sshPool.exec(sshTargetOf({ ...server, status: 'unknown' }), argv, options);
  const emitFleet = (entity: 'servers') => deps.bus.emit('fleet:changed', { entity });
  const who = actionsWho(deps);
  const installCommands = createInstallCommands({ store: deps.store, clock: deps.clock, onChange: () => emitFleet('servers') });
  const powerRunner = createPowerRunner(deps.secrets);
  const power = createPowerService({
    store: deps.store,
    clock: deps.clock,
    secrets: deps.secrets,
    runner: powerRunner,
    onChange: () => emitFleet('servers'),
    // One status read gets what one call of Power Cycle gets in the recipe book.
    statusTimeoutSec: () => recipes().recipes.find((r) => r.action === 'power-cycle')?.outOfBand?.callTimeoutSec ?? 20,
    ...(deps.snapshotShown ? { snapshotShown: deps.snapshotShown } : {}),
  });
  const actions = createActionsService({
    store: deps.store,
    clock: deps.clock,
    recipes,
    exec,
    emitRun: (update) => deps.bus.emit('actions:run-update', update),
    emitFleet,
    who,
    caller: currentActor,
    log: deps.log,
    ...(deps.throttleMs === undefined ? {} : { throttleMs: deps.throttleMs }),
    ...(deps.maintenance ? { maintenance: deps.maintenance } : {}),
    installCommand: (id) => installCommands.effective(id),
    ...(deps.afterInstall ? { afterInstall: deps.afterInstall } : {}),
    ...(deps.afterInstallNote ? { afterInstallNote: deps.afterInstallNote } : {}),
    power: {
      method: (id) => deps.store.serverActions.powerMethod(id),
      passwordSet: (id) => deps.secrets.get(powerPasswordKey(id)) !== null,
      run: (server, method, plan, options) => powerRunner.run(server, method, plan, options),
    },
  });
  const loads = createLoadPoller({
    store: deps.store,
    clock: deps.clock,
    recipes,
    exec,
    actions,
    emitFleet,
    log: deps.log,
    ...(deps.loadIntervalMs === undefined ? {} : { intervalMs: deps.loadIntervalMs }),
    ...(deps.onPoll ? { onPoll: deps.onPoll } : {}),
    ...deps.pollHooks,
  });
  if (deps.background === true && !deps.readOnly) loads.start();
  return {
    handlerDeps: {
      actions,
      loads,
      serverSecrets: createServerSecrets(deps.store, deps.secrets, (id) => loads.retrySoon(id)),
      installCommands,
      power,
    },
    who,
    close() {
      loads.stop();
      void actions.close();
    },
  };
}
