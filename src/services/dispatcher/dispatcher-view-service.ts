import type { DispatcherView } from '../../contract/dispatcher-methods';
import type { LatestSummary } from '../../contract/monitoring-methods';
import { compareDestinations, ourProbeOf } from '../../domain/dispatcher/compare';
import { DomainError, invalid, notFound } from '../../domain/errors';
import { renderCommand, type RecipeBook } from '../../domain/ssh/recipe';
import type { ServerExec } from '../ssh/server-exec';
import type { StoredServer } from '../store/servers-repo';
import type { Store } from '../store/store';
import { readOutcome } from './read-outcome';
import { errorMessage } from '../../domain/error-message';

// A dispatcher's own view of its destinations: read over SSH when its page is opened or
// refreshed and at each load poll, kept in SQLite (the advisor and the CLI read it there), and
// shown against the fleet and Switchyard's own probes as they are at the moment it is asked for.

export interface DispatcherViewDeps {
  store: Store;
  exec: ServerExec;
  recipes: () => RecipeBook;
  clock: () => number;
  /** Switchyard's probes of these servers now (monitoring's latest). */
  probes: (serverIds: readonly string[]) => readonly LatestSummary[];
}

export function createDispatcherViewService(deps: DispatcherViewDeps) {
  const dispatcher = (serverId: string): StoredServer => {
    const server = deps.store.servers.get(serverId);
    if (!server) throw notFound('Server', serverId);
    if (server.type !== 'dispatcher') {
      throw invalid('serverId', `${server.alias} (${server.ip}) is a switch: only a dispatcher has destination sets to read.`);
    }
    return server;
  };

  function view(serverId: string): DispatcherView {
    dispatcher(serverId);
    const stored = deps.store.dispatcherViews.get(serverId);
    const servers = deps.store.servers.list();
    const probes = new Map(deps.probes(servers.map((s) => s.id)).map((p) => [p.serverId, ourProbeOf(p)]));
    return {
      serverId,
      readAt: stored?.readAt ?? null,
      command: stored?.command ?? '',
      destinations: compareDestinations(stored?.destinations ?? [], servers, (id) => probes.get(id) ?? null),
      error: stored?.error ?? null,
      errorAt: stored?.errorAt ?? null,
    };
  }

  /**
   * Reads the dispatcher's destinations over SSH and keeps them (or the failure), without building
   * the view: the load poll reads every dispatcher and shows none, and a view compares against the
   * whole fleet (at 10,000 servers and 1,000 dispatchers that was the host's busiest work).
   */
  async function refresh(serverId: string): Promise<void> {
    const server = dispatcher(serverId);
    const recipe = deps.recipes().dispatcher;
    if (!recipe)
      throw invalid(
        'recipes.dispatcher',
        'The recipe book has no "dispatcher" command, so Switchyard does not know how to read a dispatcher\'s destinations.',
      );
    const { argv, line } = renderCommand(recipe.command, {}, recipe.defaults, recipe.label);
    const where = `${server.alias} (${server.ip})`;
    let outcome: ReturnType<typeof readOutcome>;
    try {
      outcome = readOutcome(await deps.exec(server, argv, { timeoutMs: recipe.timeoutSec * 1000 }), where, line);
    } catch (err) {
      // Refused before anything ran (a snapshot on show) is the caller's answer, not a failed read.
      if (err instanceof DomainError) throw err;
      outcome = { ok: false, error: `${where} could not be reached over SSH: ${errorMessage(err)}` };
    }
    // The server may have been deleted while the command ran: then there is nothing to keep.
    if (deps.store.servers.get(serverId) === null) throw notFound('Server', serverId);
    if (outcome.ok) deps.store.dispatcherViews.saveRead(serverId, deps.clock(), line, outcome.list.destinations);
    else deps.store.dispatcherViews.saveFailure(serverId, deps.clock(), line, outcome.error);
  }

  /** Reads the destinations now (see `refresh`) and answers the view with them. */
  async function read(serverId: string): Promise<DispatcherView> {
    await refresh(serverId);
    return view(serverId);
  }

  return { view, read, refresh };
}

export type DispatcherViewService = ReturnType<typeof createDispatcherViewService>;
