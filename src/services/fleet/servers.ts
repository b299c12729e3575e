import type { Server, ServerDraft, ServerRow } from '../../contract/fleet';
import { DomainError, notFound, refuseIssues } from '../../domain/errors';
import { needsInstall, normalizeServerDraft, serverIssues } from '../../domain/fleet/rules';
import type { StoredServer } from '../store/servers-repo';
import { fleetContext, newId, type FleetDeps } from './context';
import { listServerRows, listServers, withLiveStatus } from './server-list';

export function createServersService({ store, clock, emit, liveStatus }: FleetDeps) {
  const withStatus = (server: StoredServer, now: number): Server => withLiveStatus(server, now, liveStatus);
  const get = (id: string): StoredServer => {
    const server = store.servers.get(id);
    if (!server) throw notFound('Server', id);
    return server;
  };

  return {
    list: (): Server[] => listServers(store.servers.list(), clock(), liveStatus),
    listRows: (): ServerRow[] => listServerRows(store.servers.tableRows(), clock(), liveStatus),
    get: (id: string): Server => withStatus(get(id), clock()),

    create(input: ServerDraft): Server {
      const draft = normalizeServerDraft(input);
      const created = store.transaction(() => {
        refuseIssues(serverIssues(draft, fleetContext(store), null));
        const now = clock();
        const server: StoredServer = {
          ...draft,
          id: newId(),
          installRecommended: false,
          updatePending: false,
          createdAt: now,
          updatedAt: now,
        };
        store.servers.insert(server);
        return server;
      });
      emit('servers');
      return withStatus(created, clock());
    },

    update(id: string, input: ServerDraft): Server {
      const draft = normalizeServerDraft(input);
      const updated = store.transaction(() => {
        const before = get(id);
        if (draft.channels !== before.channels) {
          // One path for channels: the resize runs on the server, warns when it reboots, and is
          // active 15 minutes later. Saving the number alone would make the inventory lie.
          throw new DomainError(
            'invalid-input',
            `Channels of ${before.alias} cannot be changed by saving the server (${before.channels} → ${draft.channels}): use Resize Capacity (Resize… beside Channels, or Actions → Resize Capacity), which resizes the server itself and is active 15 minutes later.`,
            { field: 'channels' },
          );
        }
        refuseIssues(serverIssues(draft, fleetContext(store), id));
        const server: StoredServer = {
          ...before,
          ...draft,
          installRecommended: before.installRecommended || needsInstall(before, draft),
          updatedAt: clock(),
        };
        store.servers.update(server);
        return server;
      });
      emit('servers');
      return withStatus(updated, clock());
    },

    /**
     * Deletes servers. Servers that failed over to a deleted one lose that target (and their
     * failover is switched off, which is a config change: Install Server recommended).
     */
    delete(ids: string[]): { deleted: number } {
      const unique = [...new Set(ids)];
      const deleted = store.transaction(() => {
        for (const id of unique) get(id);
        for (const id of unique) {
          for (const dependent of store.servers.failingOverTo(id)) {
            if (unique.includes(dependent.id)) continue;
            store.servers.update({
              ...dependent,
              config: { ...dependent.config, capacityFailover: { enabled: false, targetId: null } },
              installRecommended: true,
              updatedAt: clock(),
            });
          }
          if (!store.servers.delete(id)) throw new DomainError('not-found', `Server ${id} was already deleted.`);
        }
        return unique.length;
      });
      emit('servers');
      return { deleted };
    },
  };
}
