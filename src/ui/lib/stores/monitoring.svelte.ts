// Live monitoring as the UI sees it: the latest values per server (status, last SIP and ICMP
// round trips), the sparklines of the servers a screen shows, the ICMP backend, and the
// status-change log. Pushed updates are merged as they arrive and applied once per animation
// frame, so a thousand servers updating every second cost one render, not a thousand.
//
// Sparklines are read only for the servers on screen (a hover card, the Overview tiles in view):
// at 10,000 servers they are most of what `monitoring:latest` weighs, and the first paint of the
// fleet table needs none of them.
import type { Server, ServerStatus } from '../../../contract/fleet';
import type { IcmpBackendInfo, LatestSummary, SamplesPush, StatusEvent } from '../../../contract/monitoring-methods';
import { reachabilityOf, statusLabel, type Reachability } from '../../../domain/monitoring/reachability';
import { api } from '../api';
import { connectionState } from '../transport';
import { toasts } from './toasts.svelte';

const SPARK = 60;
const EVENTS_KEPT = 500;
/** The key of the one toast that tells the fleet's status changes. */
const STATUS_TOAST = 'status';

type Update = SamplesPush['updates'][number];

/** A server's recent round trips, oldest first; null marks a loss. */
export interface Sparks {
  sip: readonly (number | null)[];
  icmp: readonly (number | null)[];
}

/** Servers whose sparklines are asked for in one call. */
const SPARK_BATCH = 500;

const WORDS: Record<ServerStatus, string> = {
  online: 'online',
  degraded: 'degraded',
  down: 'down',
  expired: 'expired',
  stopped: 'stopped',
  unknown: 'unknown',
};

function appendSpark(spark: readonly (number | null)[], added: readonly (number | null)[]): (number | null)[] {
  const out = spark.concat(added);
  return out.length > SPARK ? out.slice(out.length - SPARK) : out;
}

/**
 * The status to show from a map of latest values: the user's decisions (stopped, expired) first,
 * then monitoring's live verdict. A screen going over every server reads the map once
 * (`monitoring.latest`) and calls this, instead of reading the store's state per server.
 */
export function liveStatus(server: Pick<Server, 'id' | 'status'>, latest: ReadonlyMap<string, LatestSummary>): ServerStatus {
  if (server.status === 'stopped' || server.status === 'expired') return server.status;
  return latest.get(server.id)?.status ?? server.status;
}

class MonitoringStore {
  #latest = $state.raw<ReadonlyMap<string, LatestSummary>>(new Map());
  /** Sparklines of the servers asked for (`wantSparks`), kept up to date by the pushes. */
  #sparks = $state.raw<ReadonlyMap<string, Sparks>>(new Map());
  /** Asked for and not answered yet (not asked again meanwhile). */
  #sparksAsked = new Set<string>();
  /** Bumped when another fleet is on show: answers to requests made before it are dropped. */
  #generation = 0;
  #backend = $state.raw<IcmpBackendInfo | null>(null);
  #events = $state.raw<StatusEvent[]>([]);
  /** Each server's latest change since the status toast appeared (not rendered: the toast's text is). */
  #toastTally = new Map<string, StatusEvent>();
  #pending = new Map<string, Update>();
  #frame = 0;
  #started = false;
  /** Bumped at every applied batch: charts that follow live data refetch on it. */
  #tick = $state(0);

  get latest(): ReadonlyMap<string, LatestSummary> {
    return this.#latest;
  }

  /** A server's sparklines, once asked for with `wantSparks` and read. */
  sparksOf(serverId: string): Sparks | undefined {
    return this.#sparks.get(serverId);
  }

  /**
   * Reads the sparklines of these servers (those not read or asked for yet); from then on the
   * pushes keep them current. Called for what is on screen: cheap to call again.
   */
  wantSparks(serverIds: readonly string[]): void {
    const missing = serverIds.filter((id) => !this.#sparks.has(id) && !this.#sparksAsked.has(id) && this.#latest.has(id));
    for (let i = 0; i < missing.length; i += SPARK_BATCH) void this.#readSparks(missing.slice(i, i + SPARK_BATCH));
  }

  async #readSparks(ids: string[]): Promise<void> {
    const generation = this.#generation;
    for (const id of ids) this.#sparksAsked.add(id);
    try {
      const entries = await api.call('monitoring:latest', { serverIds: ids });
      if (generation !== this.#generation) return;
      // The answer holds every probe up to when it was made; a push overtaking it on the events
      // socket is not added for these servers (one point short until it scrolls out, never a wrong one).
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built here, then swapped in whole through $state.raw
      const next = new Map(this.#sparks);
      for (const e of entries) next.set(e.serverId, { sip: e.sparkSip, icmp: e.sparkIcmp });
      this.#sparks = next;
    } catch {
      // Not shown this time: the next call for these servers asks again.
    } finally {
      if (generation === this.#generation) for (const id of ids) this.#sparksAsked.delete(id);
    }
  }

  get backend(): IcmpBackendInfo | null {
    return this.#backend;
  }
  get events(): StatusEvent[] {
    return this.#events;
  }
  get tick(): number {
    return this.#tick;
  }

  /** The status to show: the user's decisions (stopped, expired) first, then monitoring's live verdict. */
  statusOf(server: Pick<Server, 'id' | 'status'>): ServerStatus {
    return liveStatus(server, this.#latest);
  }

  /** For a down server, whether its host still answers ICMP ("SIP down, host up" or "Unreachable"). */
  reachOf(server: Pick<Server, 'id' | 'status'>): Reachability | null {
    return reachabilityOf({ status: this.statusOf(server), icmp: this.#latest.get(server.id)?.icmp ?? null });
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    api.on('monitoring:samples', ({ updates }) => this.#queue(updates));
    api.on('monitoring:status-changed', ({ events }) => this.#statusChanged(events));
    api.on('app:changed', () => {
      // Another fleet is on show (a snapshot, or live again): updates still queued from the one
      // before must not be painted over what the reload brings.
      this.#pending.clear();
      this.#forgetSparks();
      if (this.#frame !== 0) cancelAnimationFrame(this.#frame);
      this.#frame = 0;
      void this.reload();
    });
    let wasClosed = false;
    connectionState.subscribe((state) => {
      if (state === 'closed') wasClosed = true;
      else if (state === 'open' && wasClosed) {
        wasClosed = false;
        // Pushes missed while the link was down are not replayed: sparklines are read again too.
        this.#forgetSparks();
        void this.reload();
      }
    });
    void this.reload();
  }

  /** Sparklines read so far are dropped; the screens showing them ask again (see `wantSparks`). */
  #forgetSparks(): void {
    this.#generation += 1;
    this.#sparksAsked.clear();
    this.#sparks = new Map();
  }

  async reload(): Promise<void> {
    const [latest, backend, events] = await Promise.all([
      api.call('monitoring:latest-summaries', {}).catch(() => [] as LatestSummary[]),
      api.call('monitoring:backend', {}).catch(() => null),
      api.call('monitoring:events', { limit: 200 }).catch(() => [] as StatusEvent[]),
    ]);
    this.#latest = new Map(latest.map((e) => [e.serverId, e]));
    this.#backend = backend;
    this.#events = events;
  }

  #queue(updates: readonly Update[]): void {
    for (const u of updates) {
      const before = this.#pending.get(u.serverId);
      this.#pending.set(
        u.serverId,
        before ? { ...u, addedSip: appendSpark(before.addedSip, u.addedSip), addedIcmp: appendSpark(before.addedIcmp, u.addedIcmp) } : u,
      );
    }
    if (this.#frame === 0) this.#frame = requestAnimationFrame(() => this.#apply());
  }

  #apply(): void {
    this.#frame = 0;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built here, then swapped in whole through $state.raw
    const next = new Map(this.#latest);
    let sparks: Map<string, Sparks> | null = null;
    for (const u of this.#pending.values()) {
      const { addedSip, addedIcmp, ...summary } = u;
      next.set(u.serverId, summary);
      const before = this.#sparks.get(u.serverId);
      if (before === undefined || (addedSip.length === 0 && addedIcmp.length === 0)) continue;
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built here, then swapped in whole through $state.raw
      sparks ??= new Map(this.#sparks);
      sparks.set(u.serverId, { sip: appendSpark(before.sip, addedSip), icmp: appendSpark(before.icmp, addedIcmp) });
    }
    this.#pending.clear();
    this.#latest = next;
    if (sparks !== null) this.#sparks = sparks;
    this.#tick += 1;
  }

  #statusChanged(events: readonly StatusEvent[]): void {
    if (events.length === 0) return;
    this.#events = [...[...events].reverse(), ...this.#events].slice(0, EVENTS_KEPT);
    // One toast tells the story while it is on screen: each server's latest change since it
    // appeared (a storm arrives a batch a second; four toasts of "16 servers changed status"
    // said less than one that keeps the tally). Dismissed or gone, the next change starts anew.
    if (!toasts.showing(STATUS_TOAST)) this.#toastTally.clear();
    for (const e of events) {
      this.#toastTally.delete(e.serverId);
      this.#toastTally.set(e.serverId, e);
    }
    const tally = [...this.#toastTally.values()];
    const bad = tally.filter((e) => e.to === 'down' || e.to === 'degraded' || e.to === 'expired');
    const text =
      tally.length === 1
        ? `${tally[0]?.alias} (${tally[0]?.ip}) is ${eventWord(tally[0])}${tally[0]?.reason ? `: ${tally[0].reason}` : ''}.`
        : `${tally.length} servers changed status: ${summarize(tally)}.`;
    if (bad.length > 0) toasts.error(text, STATUS_TOAST);
    else toasts.ok(text, STATUS_TOAST);
    // No desktop notification here: the host's desktop alert channel sends those (with rules,
    // holds and routes applied), and the page shows them from `alerts:notify`.
  }
}

/** "down" in a toast says which down: "SIP down, host up" or "unreachable". */
function eventWord(e: StatusEvent | undefined): string {
  if (e === undefined) return WORDS.unknown;
  return e.to === 'down' && e.reach !== null ? statusLabel('down', e.reach).replace(/^U/, 'u') : WORDS[e.to];
}

function summarize(events: readonly StatusEvent[]): string {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local tally, never rendered
  const counts = new Map<ServerStatus, number>();
  for (const e of events) counts.set(e.to, (counts.get(e.to) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${WORDS[status]}`).join(', ');
}

export const monitoring = new MonitoringStore();
