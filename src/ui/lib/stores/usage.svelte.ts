// Live calls of every server as the load polls read them (channels in use, calls per second),
// for the fleet table's "in use / capacity" columns and the server page. Pushed after each poll
// (grouped by the host about once a second); read again every minute so a reading that has
// grown old drops out, and whenever another fleet is shown or the connection comes back.
import type { ServerUsage } from '../../../contract/load-methods';
import { api } from '../api';
import { connectionState } from '../transport';

const RELOAD_EVERY_MS = 60_000;

/** Use of a limit as a fraction (1 = at the limit), or null when the use is not known. */
export function useShare(inUse: number | null, capacity: number): number | null {
  return inUse === null || capacity <= 0 ? null : inUse / capacity;
}

class UsageStore {
  #usage = $state.raw<ReadonlyMap<string, ServerUsage>>(new Map());
  #started = false;

  get all(): ReadonlyMap<string, ServerUsage> {
    return this.#usage;
  }

  of(serverId: string): ServerUsage | undefined {
    return this.#usage.get(serverId);
  }

  /** Idempotent: the first screen that shows usage starts it. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    api.on('load:usage', ({ servers }) => this.#merge(servers));
    api.on('app:changed', () => void this.reload());
    api.on('fleet:changed', ({ entity }) => {
      if (entity === 'servers' || entity === 'all') void this.reload();
    });
    let wasClosed = false;
    connectionState.subscribe((state) => {
      if (state === 'closed') wasClosed = true;
      else if (state === 'open' && wasClosed) {
        wasClosed = false;
        void this.reload();
      }
    });
    setInterval(() => void this.reload(), RELOAD_EVERY_MS);
    void this.reload();
  }

  async reload(): Promise<void> {
    const { servers } = await api.call('load:list-usage', {}).catch(() => ({ servers: [] as ServerUsage[] }));
    this.#usage = new Map(servers.map((u) => [u.serverId, u]));
  }

  #merge(servers: readonly ServerUsage[]): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built here, then swapped in whole through $state.raw
    const next = new Map(this.#usage);
    for (const u of servers) next.set(u.serverId, u);
    this.#usage = next;
  }
}

export const usage = new UsageStore();
