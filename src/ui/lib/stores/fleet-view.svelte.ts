import type { ServerRow as Server, ServerStatus } from '../../../contract/fleet';
import { ipSortKey } from '../format';
import { fleet } from './fleet.svelte';
import { liveStatus, monitoring } from './monitoring.svelte';
import type { ServerUsage } from '../../../contract/load-methods';
import type { LatestSummary as LatestEntry } from '../../../contract/monitoring-methods';
import { codeColumn, codedFilter, everyFacetCountCoded, type CodedColumn } from '../facet-counts';
import { usage, useShare } from './usage.svelte';
import { searchFleet, type SearchResult } from './fleet-search';

export type SortKey =
  'ip' | 'alias' | 'type' | 'cluster' | 'zone' | 'channels' | 'cps' | 'expires' | 'sipMs' | 'sipLoss' | 'icmpMs' | 'icmpLoss' | 'status';
export type FilterKey = 'type' | 'cluster' | 'zone' | 'status';

/** Sets here are replaced, never mutated: `$state.raw` sees the new one. */
function toggled(set: ReadonlySet<string>, value: string): ReadonlySet<string> {
  return set.has(value) ? new Set([...set].filter((v) => v !== value)) : new Set([...set, value]);
}

/** Worst first, so "sort by status" puts what needs attention on top. */
const STATUS_RANK: Record<ServerStatus, number> = { down: 0, expired: 1, degraded: 2, unknown: 3, stopped: 4, online: 5 };

/** Sentinel for "no cluster" in the cluster filter. */
export const NO_CLUSTER = '∅';

/** A status column read by nothing (no status chip on): its values are never looked at. */
const NO_STATUS: CodedColumn = { codes: new Uint32Array(0), values: [] };

type StatusOf = (s: Server) => ServerStatus;
type UsageOf = (s: Server) => ServerUsage | undefined;
type LatestOf = (s: Server) => LatestEntry | undefined;

/** A lost last probe sorts after every answer; no probe yet after that. */
const LOST = Number.MAX_SAFE_INTEGER - 1;
const rttKey = (p: { rttMs: number | null } | null | undefined): number =>
  p === null || p === undefined ? Number.MAX_SAFE_INTEGER : (p.rttMs ?? LOST);
const lossKey = (v: number | null | undefined): number => v ?? Number.MAX_SAFE_INTEGER;

/**
 * Channels and CPS sort by use of the limit; a server whose use is not known sorts below any known,
 * and equal uses (none known, say) by the limit itself. As text, so the two compare exactly.
 */
const shareKey = (share: number | null, limit: number): string =>
  `${share === null ? '0' : `1${share.toFixed(6).padStart(16, '0')}`}:${String(limit).padStart(12, '0')}`;

function sortValue(s: Server, key: SortKey, statusOf: StatusOf, usageOf: UsageOf, latestOf: LatestOf): string | number {
  switch (key) {
    case 'ip':
      return ipSortKey(s.ip);
    case 'alias':
      return s.alias.toLowerCase();
    case 'type':
      return s.type;
    case 'cluster':
      return s.clusterId === null ? '\uffff' : fleet.clusterName(s.clusterId).toLowerCase();
    case 'zone':
      return fleet.zoneName(s.zoneId).toLowerCase();
    case 'channels':
      return shareKey(useShare(usageOf(s)?.channelsInUse ?? null, s.channels), s.channels);
    case 'cps':
      return shareKey(useShare(usageOf(s)?.cps ?? null, s.cps), s.cps);
    case 'expires':
      return s.expiresAt ?? Number.MAX_SAFE_INTEGER;
    case 'sipMs':
      return rttKey(latestOf(s)?.sip);
    case 'sipLoss':
      return lossKey(latestOf(s)?.sipLossPct);
    case 'icmpMs':
      return rttKey(latestOf(s)?.icmp);
    case 'icmpLoss':
      return lossKey(latestOf(s)?.icmpLossPct);
    case 'status':
      return STATUS_RANK[statusOf(s)];
  }
}

/**
 * The fleet table's view: search, filter chips, sort, selection and the keyboard cursor. The
 * visible list is derived, never stored, so a host change shows at once.
 *
 * Status is the live one (monitoring's pushed verdict), so sorting or filtering by status
 * follows the probes between reloads. While the pointer is over the table the order is held:
 * rows keep their places (their icons and badges still change) so a row does not slide away
 * under a click or a hover card, and the table re-sorts the moment the pointer leaves. Only
 * sorting and filtering by status read the live verdicts, so other sorts never recompute on a push.
 * Channels and CPS sort by use of the limit (live calls from the load polls), held the same way.
 */
class FleetView {
  query = $state('');
  sortKey = $state<SortKey>('ip');
  sortDir = $state<1 | -1>(1);
  #filters = $state.raw<Record<FilterKey, ReadonlySet<string>>>({
    type: new Set(),
    cluster: new Set(),
    zone: new Set(),
    status: new Set(),
  });
  #selected = $state.raw<ReadonlySet<string>>(new Set());
  #anchor: string | null = null;
  /** Index of the keyboard cursor in `visible`. */
  active = $state(0);
  /**
   * The live maps as they were when the pointer entered the table, with the list they go with;
   * null when nothing is held. The maps are replaced whole on every change, never patched, so
   * keeping them is keeping what they said then. A reloaded list (an edit, a snapshot opened or
   * closed) is another fleet: what was held for the old one no longer applies.
   */
  #held = $state.raw<{
    servers: readonly Server[];
    usage: ReadonlyMap<string, ServerUsage>;
    latest: ReadonlyMap<string, LatestEntry>;
  } | null>(null);

  /**
   * The lookups sorting and filtering use: latency and live calls as held while the pointer is over
   * the table (so rows do not swap under it every second), else the live ones. Each live map is
   * read on first use only: a pass that never asks for a status (sorted by IP, no status chip on)
   * does not depend on the pushes, and is not worked out again at every one of them (at 10,000
   * servers that was a filter and a sort of the whole fleet each second).
   */
  #lookups(): { statusOf: StatusOf; usageOf: UsageOf; latestOf: LatestOf } {
    let latest: ReadonlyMap<string, LatestEntry> | null = null;
    let calls: ReadonlyMap<string, ServerUsage> | null = null;
    const held = () => (this.#held !== null && this.#held.servers === fleet.servers ? this.#held : null);
    const latestMap = (): ReadonlyMap<string, LatestEntry> => (latest ??= held()?.latest ?? monitoring.latest);
    const statusOf: StatusOf = (s) => liveStatus(s, latestMap());
    return {
      statusOf,
      usageOf: (s) => (calls ??= held()?.usage ?? usage.all).get(s.id),
      latestOf: (s) => latestMap().get(s.id),
    };
  }

  /**
   * What search, the address tiebreak and the chips compare, worked out once per fleet list rather
   * than for every server at every keystroke and every live re-sort: row i of each array is
   * `fleet.servers[i]`. The chips' groups that only an edit changes (type, cluster, zone) are kept
   * coded (facet-counts.ts), so counting them is a lookup per row.
   */
  readonly #index = $derived.by(() => {
    const servers = fleet.servers;
    const n = servers.length;
    const ip = new Array<string>(n);
    const alias = new Array<string>(n);
    const order = new Array<string>(n);
    const type = new Array<string>(n);
    const cluster = new Array<string>(n);
    const zone = new Array<string>(n);
    for (let i = 0; i < n; i += 1) {
      const s = servers[i] as Server;
      ip[i] = s.ip.toLowerCase();
      alias[i] = s.alias.toLowerCase();
      order[i] = ipSortKey(s.ip);
      // The values the chips filter by (the status group's are live: #statusColumn).
      type[i] = s.type;
      cluster[i] = s.clusterId ?? NO_CLUSTER;
      zone[i] = s.zoneId;
    }
    return { servers, ip, alias, order, type: codeColumn(type), cluster: codeColumn(cluster), zone: codeColumn(zone) };
  });

  /** Every server's status as sorting and filtering see it (live, or as held), coded; follows the pushes. */
  readonly #statusColumn = $derived.by(() => {
    const { statusOf } = this.#lookups();
    return codeColumn(this.#index.servers.map(statusOf));
  });

  /** The search as typed, trimmed and lower-cased ('' when there is none). */
  readonly #q = $derived(this.query.trim().toLowerCase());

  /** The last search worked out, kept so that typing on narrows its matches (fleet-search.ts). */
  #lastSearch: SearchResult | null = null;

  /**
   * The servers the search box lets through, as a mask over `fleet.servers` (1: a match; null: no
   * search), worked out once per query.
   */
  readonly #searched = $derived.by((): Uint8Array | null => {
    const q = this.#q;
    if (q === '') return null;
    this.#lastSearch = searchFleet(this.#index, q, this.#lastSearch);
    return this.#lastSearch.mask;
  });

  /**
   * The whole fleet in the chosen order, as indices into `fleet.servers` and as rows. Search and
   * chips only take rows out, which keeps the order, so a keystroke filters this list and never
   * sorts (at 10,000 servers the sort was most of what a search cost). A live sort key (status,
   * latency, live calls) follows the pushes here.
   */
  readonly #ordered = $derived.by(() => {
    const key = this.sortKey;
    const dir = this.sortDir;
    const { servers, order } = this.#index;
    const { statusOf, usageOf, latestOf } = this.#lookups();
    const decorated = servers.map((s, i) => {
      const t = order[i] as string;
      return { i, v: key === 'ip' ? t : sortValue(s, key, statusOf, usageOf, latestOf), t };
    });
    decorated.sort((a, b) => (a.v < b.v ? -dir : a.v > b.v ? dir : a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
    const indices = Uint32Array.from(decorated, (d) => d.i);
    return { indices, rows: Array.from(indices, (i) => servers[i] as Server) };
  });

  /** The chips' groups as coded columns; the status group read only when asked for (it follows the pushes). */
  #columns(withStatus: boolean): Record<FilterKey, CodedColumn> {
    const { type, cluster, zone } = this.#index;
    return { type, cluster, zone, status: withStatus ? this.#statusColumn : NO_STATUS };
  }

  readonly visible = $derived.by(() => {
    const searched = this.#searched;
    const filters = this.#filters;
    const filtered = Object.values(filters).some((f) => f.size > 0);
    const ordered = this.#ordered;
    if (searched === null && !filtered) return ordered.rows;
    const { servers } = this.#index;
    // Only a status chip makes the shown rows follow the pushes.
    const passes = filtered ? codedFilter(this.#columns(filters.status.size > 0), filters) : null;
    const out: Server[] = [];
    for (const i of ordered.indices) {
      if ((searched === null || searched[i] === 1) && (passes === null || passes(i))) out.push(servers[i] as Server);
    }
    return out;
  });

  /** Every filter group's chip counts (see `counts`), in one pass over the fleet. */
  readonly #facets = $derived(everyFacetCountCoded(this.#columns(true), this.#filters, this.#searched));

  /** Selection limited to what still exists (a deleted server drops out by itself). */
  readonly selectedServers = $derived(fleet.servers.filter((s) => this.#selected.has(s.id)));

  get filters(): Readonly<Record<FilterKey, ReadonlySet<string>>> {
    return this.#filters;
  }

  get filtering(): boolean {
    return this.#q !== '' || Object.values(this.#filters).some((f) => f.size > 0);
  }

  /**
   * Each value of a filter group with how many rows its chip would show given the search and the
   * other groups' chips (see facet-counts.ts); every value in the fleet is listed, 0 included.
   */
  counts(key: FilterKey): [value: string, count: number][] {
    return [...this.#facets[key]];
  }

  get holding(): boolean {
    return this.#held !== null;
  }

  /** Keeps rows where they are while the user points at them (see the class comment). */
  holdOrder(): void {
    if (this.#held !== null) return;
    this.#held = { servers: fleet.servers, usage: usage.all, latest: monitoring.latest };
  }

  /** Lets the order follow live status again: the table re-sorts now if anything changed. */
  releaseOrder(): void {
    this.#held = null;
  }

  toggleFilter(key: FilterKey, value: string): void {
    this.#filters = { ...this.#filters, [key]: toggled(this.#filters[key], value) };
    this.active = 0;
  }

  clearFilters(): void {
    this.#filters = { type: new Set(), cluster: new Set(), zone: new Set(), status: new Set() };
    this.query = '';
    this.active = 0;
  }

  sortBy(key: SortKey): void {
    if (this.sortKey === key) this.sortDir = this.sortDir === 1 ? -1 : 1;
    else {
      this.sortKey = key;
      this.sortDir = 1;
    }
  }

  isSelected(id: string): boolean {
    return this.#selected.has(id);
  }

  /** Click semantics of a file manager: plain replaces, ctrl/cmd toggles, shift extends. */
  click(index: number, mods: { shift: boolean; toggle: boolean }): void {
    const row = this.visible[index];
    if (!row) return;
    this.active = index;
    if (mods.shift && this.#anchor !== null) {
      const from = this.visible.findIndex((s) => s.id === this.#anchor);
      const [a, b] = from < 0 ? [index, index] : [Math.min(from, index), Math.max(from, index)];
      const range = this.visible.slice(a, b + 1).map((s) => s.id);
      this.#selected = new Set([...(mods.toggle ? this.#selected : []), ...range]);
      return;
    }
    if (mods.toggle) {
      this.#selected = toggled(this.#selected, row.id);
    } else {
      this.#selected = new Set([row.id]);
    }
    this.#anchor = row.id;
  }

  toggleActive(): void {
    this.click(this.active, { shift: false, toggle: true });
  }

  selectAllVisible(): void {
    this.#selected = new Set(this.visible.map((s) => s.id));
  }

  clearSelection(): void {
    this.#selected = new Set();
    this.#anchor = null;
  }

  moveActive(delta: number): void {
    const n = this.visible.length;
    if (n === 0) return;
    this.active = Math.max(0, Math.min(n - 1, this.active + delta));
  }
}

export const fleetView = new FleetView();
