// The fleet table's columns: declared once here (header, width, alignment, what sorts), with the
// user's choice of which to hide kept in localStorage, so the table and the column chooser read
// one list and a reload keeps the choice.
import type { SortKey } from './fleet-view.svelte';

export interface FleetColumn {
  key: SortKey;
  label: string;
  /** The column chooser's name when the header alone is unclear ("SIP loss" vs "Loss"). */
  name?: string;
  /** A CSS grid track. */
  width: string;
  num?: boolean;
  title?: string;
  /** IP and Status stay: without them a row says nothing. */
  fixed?: boolean;
}

export const FLEET_COLUMNS: readonly FleetColumn[] = [
  { key: 'ip', label: 'IP', width: '170px', fixed: true },
  { key: 'alias', label: 'Alias', width: 'minmax(150px, 1.6fr)' },
  { key: 'type', label: 'Type', width: '92px' },
  { key: 'cluster', label: 'Cluster', width: 'minmax(100px, 1fr)' },
  { key: 'zone', label: 'Zone', width: 'minmax(90px, 1fr)' },
  {
    key: 'channels',
    label: 'Channels',
    num: true,
    width: '112px',
    title: 'Channels in use / capacity (live calls read from Kamailio every 30 s); sorts by use %',
  },
  {
    key: 'cps',
    label: 'CPS',
    num: true,
    width: '92px',
    title: "Calls per second now / limit (Kamailio's dialog counter between two load polls); sorts by use %",
  },
  { key: 'expires', label: 'Expires', width: '118px' },
  { key: 'sipMs', label: 'SIP', name: 'SIP latency', num: true, width: '78px', title: 'Round trip of the last SIP OPTIONS (UDP), in ms' },
  {
    key: 'sipLoss',
    label: 'SIP loss',
    num: true,
    width: '72px',
    title: 'SIP OPTIONS lost over the recent window (the status rule’s window)',
  },
  { key: 'icmpMs', label: 'ICMP', name: 'ICMP latency', num: true, width: '78px', title: 'Round trip of the last ICMP echo, in ms' },
  { key: 'icmpLoss', label: 'ICMP loss', num: true, width: '78px', title: 'ICMP echoes lost over the recent window' },
  { key: 'status', label: 'Status', width: '156px', fixed: true },
];

const KEY = 'switchyard.fleet.hidden-columns';

function readSaved(): ReadonlySet<SortKey> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    if (!Array.isArray(saved)) return new Set();
    return new Set(FLEET_COLUMNS.filter((c) => !c.fixed && saved.includes(c.key)).map((c) => c.key));
  } catch {
    return new Set();
  }
}

class FleetColumns {
  #hidden = $state.raw<ReadonlySet<SortKey>>(readSaved());

  readonly shown = $derived(FLEET_COLUMNS.filter((c) => !this.#hidden.has(c.key)));
  /** The grid's tracks: the selection checkbox, then each shown column. */
  readonly template = $derived(['34px', ...this.shown.map((c) => c.width)].join(' '));

  isShown(key: SortKey): boolean {
    return !this.#hidden.has(key);
  }

  toggle(key: SortKey): void {
    if (FLEET_COLUMNS.find((c) => c.key === key)?.fixed) return;
    // A new set each time, swapped in whole ($state.raw sees the replacement).
    const next: ReadonlySet<SortKey> = this.#hidden.has(key)
      ? new Set([...this.#hidden].filter((k) => k !== key))
      : new Set([...this.#hidden, key]);
    this.#hidden = next;
    try {
      localStorage.setItem(KEY, JSON.stringify([...next]));
    } catch {
      // No storage (a private window): the choice holds for this session.
    }
  }
}

export const fleetColumns = new FleetColumns();
