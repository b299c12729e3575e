import type { ActionName } from '../../contract/actions-methods';
import { nextResize } from '../../domain/platform/pending-resize';
import type { StoredServer } from '../store/servers-repo';
import type { Store } from '../store/store';

// What a successful action changes in the fleet, applied only to the servers where it succeeded:
// a clean install clears "install recommended", an applied update clears the stale flag, a resize
// saves the new channel count (pending for 15 minutes), Start and Stop record what the operator asked.
// Returns whether anything changed (so the UI is told once).
export function applySuccess(
  store: Store,
  action: ActionName,
  servers: readonly StoredServer[],
  params: Readonly<Record<string, string>>,
  now: number,
  runStartedAt = now,
): boolean {
  const change = (server: StoredServer): StoredServer | null => {
    switch (action) {
      case 'install':
        // A setting changed while the install ran was not part of it: the recommendation stays.
        return server.installRecommended && server.updatedAt <= runStartedAt ? { ...server, installRecommended: false } : null;
      case 'update':
        return server.updatePending ? { ...server, updatePending: false } : null;
      case 'resize': {
        const channels = Number(params['channels']);
        if (!Number.isInteger(channels) || channels <= 0 || channels === server.channels) return null;
        // "The update will be active in 15 minutes": until then the server carries what it had.
        store.serverActions.recordResize(nextResize(server, store.serverActions.resize(server.id), channels, now));
        return { ...server, channels };
      }
      case 'start':
        return server.adminState === 'running' ? null : { ...server, adminState: 'running' };
      case 'stop':
        return server.adminState === 'stopped' ? null : { ...server, adminState: 'stopped' };
      default:
        return null;
    }
  };
  return store.transaction(() => {
    let changed = false;
    for (const before of servers) {
      // Re-read: the server may have been edited (or deleted) while the action ran.
      const current = store.servers.get(before.id);
      if (!current) continue;
      const next = change(current);
      if (!next) continue;
      store.servers.update({ ...next, updatedAt: now });
      changed = true;
    }
    return changed;
  });
}
