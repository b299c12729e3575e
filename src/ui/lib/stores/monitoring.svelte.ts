// Live monitoring as the UI sees it: the latest values per server (status, last SIP and ICMP
// round trips, sparklines), the ICMP backend, and the status-change log. Pushed updates are
// merged as they arrive and applied once per animation frame, so a thousand servers updating
// every second cost one render, not a thousand.
import type { Server, ServerStatus } from '../../../contract/fleet';
import type { IcmpBackendInfo, LatestEntry, SamplesPush, StatusEvent } from '../../../contract/monitoring-methods';
import { reachabilityOf, statusLabel, type Reachability } from '../../../domain/monitoring/reachability';
import { api } from '../api';
import { connectionState } from '../transport';
import { toasts } from './toasts.svelte';

const SPARK = 60;
const EVENTS_KEPT = 500;

type Update = SamplesPush['updates'][number];

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

class MonitoringStore {
  #latest = $state.raw<ReadonlyMap<string, LatestEntry>>(new Map());
  #backend = $state.raw<IcmpBackendInfo | null>(null);
  #events = $state.raw<StatusEvent[]>([]);
  #pending = new Map<string, Update>();
  #frame = 0;
  #started = false;
  /** Bumped at every applied batch: charts that follow live data refetch on it. */
  #tick = $state(0);

  get latest(): ReadonlyMap<string, LatestEntry> {
    return this.#latest;
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
  statusOf(server: Server): ServerStatus {
    if (server.status === 'stopped' || server.status === 'expired') return server.status;
    return this.#latest.get(server.id)?.status ?? server.status;
  }

  /** For a down server, whether its host still answers ICMP ("SIP down, host up" or "Unreachable"). */
  reachOf(server: Server): Reachability | null {
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
      if (this.#frame !== 0) cancelAnimationFrame(this.#frame);
      this.#frame = 0;
      void this.reload();
    });
    let wasClosed = false;
    connectionState.subscribe((state) => {
      if (state === 'closed') wasClosed = true;
      else if (state === 'open' && wasClosed) {
        wasClosed = false;
        void this.reload();
      }
    });
    void this.reload();
  }

  async reload(): Promise<void> {
    const [latest, backend, events] = await Promise.all([
      api.call('monitoring:latest', {}).catch(() => [] as LatestEntry[]),
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
    for (const u of this.#pending.values()) {
      const before = next.get(u.serverId);
      const { addedSip, addedIcmp, ...summary } = u;
      next.set(u.serverId, {
        ...summary,
        sparkSip: appendSpark(before?.sparkSip ?? [], addedSip),
        sparkIcmp: appendSpark(before?.sparkIcmp ?? [], addedIcmp),
      });
    }
    this.#pending.clear();
    this.#latest = next;
    this.#tick += 1;
  }

  #statusChanged(events: readonly StatusEvent[]): void {
    if (events.length === 0) return;
    this.#events = [...[...events].reverse(), ...this.#events].slice(0, EVENTS_KEPT);
    const bad = events.filter((e) => e.to === 'down' || e.to === 'degraded' || e.to === 'expired');
    const text =
      events.length === 1
        ? `${events[0]?.alias} (${events[0]?.ip}) is ${eventWord(events[0])}${events[0]?.reason ? `: ${events[0].reason}` : ''}.`
        : `${events.length} servers changed status: ${summarize(events)}.`;
    if (bad.length > 0) toasts.error(text);
    else toasts.ok(text);
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
