import type { ServerUsage } from '../contract/load-methods';
import type { LatestSummary } from '../contract/monitoring-methods';
import { DomainError } from '../domain/errors';
import { currentRecipeBook } from '../services/actions/recipes';
import type { ServerExec } from '../services/ssh/server-exec';
import { createDispatcherViewService, type DispatcherViewService } from '../services/dispatcher/dispatcher-view-service';
import { sshTargetOf } from '../services/ssh/app-ssh';
import type { SshPool } from '../services/ssh/pool';
import type { Store } from '../services/store/store';
import type { EventBus } from './event-bus';

// Live calls and the dispatcher's own view, built for the composition root (app.ts): the
// dispatcher view service, the hooks the load poll calls after each poll (read a dispatcher's
// destinations; push the server's new calls to the fleet table, grouped about once a second), and
// nothing read from the servers while a snapshot is shown.

export interface CallsDispatcherDeps {
  store: Store;
  clock: () => number;
  bus: EventBus;
  sshPool: SshPool;
  recipesFile: string;
  snapshotShown: () => boolean;
  /** Switchyard's own probes now (monitoring's latest). */
  probes: (serverIds: readonly string[]) => readonly LatestSummary[];
  /** How long servers whose calls changed wait to be pushed together. */
  pushEveryMs?: number;
}

export interface CallsDispatcherWiring {
  dispatcherViews: DispatcherViewService;
  /** For the load poll: after each poll. */
  hooks: { onUsage(serverId: string): void; readDispatcher(serverId: string): Promise<unknown> };
  /** Where the pushed usage is read from (the load poll, built after this). */
  usageFrom(source: (serverIds: readonly string[]) => ServerUsage[]): void;
  close(): void;
}

export function createCallsDispatcherWiring(deps: CallsDispatcherDeps): CallsDispatcherWiring {
  const recipes = () => currentRecipeBook(deps.recipesFile);
  const exec: ServerExec = (server, argv, options) =>
    deps.snapshotShown()
      ? Promise.reject(
          new DomainError(
            'conflict',
            "This console shows a snapshot: a dispatcher's destinations are read from the live fleet only. Return to the live fleet to read them.",
          ),
        )
      : deps.sshPool.exec(sshTargetOf({ ...server, status: 'unknown' }), argv, options);
  const dispatcherViews = createDispatcherViewService({ store: deps.store, exec, recipes, clock: deps.clock, probes: deps.probes });

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let source: ((serverIds: readonly string[]) => ServerUsage[]) | null = null;
  const flush = (): void => {
    timer = undefined;
    const ids = [...pending];
    pending.clear();
    if (source === null || ids.length === 0 || deps.snapshotShown()) return;
    deps.bus.emit('load:usage', { servers: source(ids) });
  };

  return {
    dispatcherViews,
    hooks: {
      onUsage(serverId) {
        pending.add(serverId);
        if (timer === undefined) {
          timer = setTimeout(flush, deps.pushEveryMs ?? 1_000);
          timer.unref();
        }
      },
      readDispatcher: (serverId) => dispatcherViews.refresh(serverId),
    },
    usageFrom(next) {
      source = next;
    },
    close() {
      clearTimeout(timer);
      timer = undefined;
      pending.clear();
    },
  };
}
