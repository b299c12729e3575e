import type { AppInfo, Settings } from '../../../contract/app';
import type { EventPayload } from '../../../contract/events';
import type { Cluster, RtpServer, Server, ServerRow, Zone } from '../../../contract/fleet';
import { api, callError } from '../api';
import { clock } from './clock.svelte';
import { connectionState } from '../transport';

type Entity = EventPayload<'fleet:changed'>['entity'];
type Part = 'info' | 'settings' | 'zones' | 'clusters' | 'servers' | 'rtp';

/** Full records kept at once (see FleetStore). */
const FULL_KEPT = 32;

/** What else to re-read when the host says an entity changed (counts live on other lists). */
const DEPENDENTS: Record<Entity, Part[]> = {
  servers: ['servers', 'clusters', 'zones'],
  clusters: ['clusters', 'servers'],
  zones: ['zones', 'servers', 'rtp'],
  rtp: ['rtp', 'zones'],
  settings: ['settings', 'servers'],
  all: ['settings', 'zones', 'clusters', 'servers', 'rtp'],
};

/**
 * The inventory as the host last reported it. Lists are replaced whole on every change
 * (`$state.raw`), never patched in place: the host is the source of truth.
 *
 * Servers are held as rows (what the table and the pickers show, no configuration): at 10,000
 * servers the full records are megabytes the first paint would wait for. A screen that shows or
 * edits a server's configuration asks for its full record (`loadFull`); the records asked for are
 * kept and read again whenever the list is.
 */
class FleetStore {
  #info = $state.raw<AppInfo | null>(null);
  #settings = $state.raw<Settings | null>(null);
  #zones = $state.raw<Zone[]>([]);
  #clusters = $state.raw<Cluster[]>([]);
  #servers = $state.raw<ServerRow[]>([]);
  /** Full records (configuration, SSH) of the servers a screen asked for, newest last. */
  #full = $state.raw<ReadonlyMap<string, Server>>(new Map());
  #rtp = $state.raw<RtpServer[]>([]);
  #loaded = $state(false);
  #loadError = $state<string | null>(null);
  #queued = new Set<Part>();
  #flush: Promise<void> | null = null;
  #started: Promise<void> | null = null;

  readonly zoneById = $derived(new Map(this.#zones.map((z) => [z.id, z])));
  readonly clusterById = $derived(new Map(this.#clusters.map((c) => [c.id, c])));
  readonly serverById = $derived(new Map(this.#servers.map((s) => [s.id, s])));
  readonly readOnly = $derived(this.#info?.readOnly ?? false);

  get info() {
    return this.#info;
  }
  get settings() {
    return this.#settings;
  }
  get zones() {
    return this.#zones;
  }
  get clusters() {
    return this.#clusters;
  }
  get servers() {
    return this.#servers;
  }
  get rtp() {
    return this.#rtp;
  }
  get loaded() {
    return this.#loaded;
  }
  get loadError() {
    return this.#loadError;
  }

  /** Reads everything once and follows the host's change events from then on; once, however often called. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async #start(): Promise<void> {
    api.on('fleet:changed', ({ entity }) => this.refresh(...DEPENDENTS[entity]));
    // Live fleet ⇄ snapshot: a different fleet altogether, and a different mode and clock.
    api.on('app:changed', () => this.refresh('info', ...DEPENDENTS.all));
    // Events sent while the link was down are not replayed: re-read everything on reconnect.
    let wasClosed = false;
    connectionState.subscribe((state) => {
      if (state === 'closed') wasClosed = true;
      else if (state === 'open' && wasClosed) {
        wasClosed = false;
        void this.refresh('info', ...DEPENDENTS.all);
      }
    });
    await this.refresh('info', ...DEPENDENTS.all);
    this.#loaded = true;
  }

  /** The full record of a server, if a screen asked for it (`loadFull`) and it still exists. */
  full(id: string): Server | undefined {
    return this.#full.get(id);
  }

  /** Reads a server's full record (and keeps it up to date from then on); null if there is no such server. */
  async loadFull(id: string): Promise<Server | null> {
    try {
      const server = await api.call('fleet:get-server', { id });
      this.#keepFull([server]);
      return server;
    } catch (error) {
      if (callError(error).code === 'not-found') return null;
      throw error;
    }
  }

  #keepFull(servers: readonly Server[], drop: ReadonlySet<string> = new Set()): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built here, then swapped in whole through $state.raw
    const next = new Map([...this.#full].filter(([id]) => !drop.has(id)));
    for (const s of servers) {
      next.delete(s.id);
      next.set(s.id, s);
    }
    // A handful of pages open at once is the most a person has; older records are read again if needed.
    for (const id of next.keys()) {
      if (next.size <= FULL_KEPT) break;
      next.delete(id);
    }
    this.#full = next;
  }

  /** The kept full records, read again after the list changed; those whose server is gone are dropped. */
  async #rereadFull(rows: readonly ServerRow[]): Promise<void> {
    const ids = new Set(rows.map((s) => s.id));
    const kept = [...this.#full.keys()];
    const gone = new Set(kept.filter((id) => !ids.has(id)));
    const fresh = await Promise.all(kept.filter((id) => ids.has(id)).map((id) => api.call('fleet:get-server', { id }).catch(() => null)));
    this.#keepFull(
      fresh.filter((s): s is Server => s !== null),
      gone,
    );
  }

  zoneName(id: string | null): string {
    return id === null ? '' : (this.zoneById.get(id)?.name ?? '?');
  }

  clusterName(id: string | null): string {
    return id === null ? '' : (this.clusterById.get(id)?.name ?? '?');
  }

  /** Re-reads the given lists; bursts of events collapse into one read per list. */
  refresh(...parts: Part[]): Promise<void> {
    for (const p of parts) this.#queued.add(p);
    this.#flush ??= Promise.resolve().then(async () => {
      const todo = [...this.#queued];
      this.#queued.clear();
      this.#flush = null;
      try {
        await Promise.all(todo.map((p) => this.#read(p)));
        this.#loadError = null;
      } catch (error) {
        this.#loadError = callError(error).message;
      }
    });
    return this.#flush;
  }

  async #read(part: Part): Promise<void> {
    switch (part) {
      case 'info':
        this.#info = await api.call('app:info', {});
        clock.pin(this.#info.mode === 'snapshot' ? this.#info.now : null);
        return;
      case 'settings':
        this.#settings = await api.call('settings:get', {});
        return;
      case 'zones':
        this.#zones = await api.call('fleet:list-zones', {});
        return;
      case 'clusters':
        this.#clusters = await api.call('fleet:list-clusters', {});
        return;
      case 'servers': {
        const rows = await api.call('fleet:list-rows', {});
        this.#servers = rows;
        if (this.#full.size > 0) await this.#rereadFull(rows);
        return;
      }
      case 'rtp':
        this.#rtp = await api.call('fleet:list-rtp', {});
        return;
    }
  }
}

export const fleet = new FleetStore();
