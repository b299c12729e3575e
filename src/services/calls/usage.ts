import type { ServerUsage } from '../../contract/load-methods';
import { READING_FRESH_MS } from '../../domain/calls/freshness';
import type { LoadRecord } from '../store/server-load-repo';
import type { Store } from '../store/store';

// Live calls of every server from its last load poll, for the fleet table and its pushes. Only a
// recent reading counts: an old one is not "in use now".

export const callsErrorFor = (server: { alias: string; ip: string }, reason: string): string =>
  `Calls on ${server.alias} (${server.ip}) could not be read: ${reason}`;

export function usageOf(
  server: { id: string; alias: string; ip: string },
  reading: LoadRecord | null,
  pollError: string | null,
): ServerUsage {
  return {
    serverId: server.id,
    at: reading?.at ?? null,
    channelsInUse: reading?.channels ?? null,
    ringing: reading?.calls?.early ?? null,
    cps: reading?.cps ?? null,
    callsError: reading?.callsError ? callsErrorFor(server, reading.callsError) : null,
    pollError,
  };
}

export function listUsage(
  store: Pick<Store, 'servers' | 'serverLoad'>,
  now: number,
  pollError: (serverId: string) => string | null,
  serverIds?: readonly string[],
): ServerUsage[] {
  // A push names the few servers just polled: read those, not the whole fleet (10,000 rows a second).
  const servers =
    serverIds === undefined
      ? store.servers.list()
      : [...new Set(serverIds)].flatMap((id) => {
          const server = store.servers.identity(id);
          return server ? [server] : [];
        });
  return servers.map((s) => usageOf(s, store.serverLoad.latest(s.id, now - READING_FRESH_MS, now), pollError(s.id)));
}
