// The Alerts tab's state: the filters, the alerts found, the selection to acknowledge, and one
// alert opened with its deliveries. Reloads when the host says alerts or holds changed.
import type { Alert, AlertKind, Severity } from '../../../contract/alerts';
import type { InputOf, OutputOf } from '../../../contract/methods';
import { api, callError } from '../api';

export type AlertsView = 'open' | 'history';
/** Within "open": either state; within "history": resolved only, or everything. */
export type StateFilter = '' | 'firing' | 'acknowledged' | 'resolved';
export type AlertDetail = OutputOf<'alerts:get'>;

const PAGE = 200;

export class AlertsList {
  view = $state<AlertsView>('open');
  state = $state<StateFilter>('');
  severity = $state<Severity | ''>('');
  kind = $state<AlertKind | ''>('');
  text = $state('');
  limit = $state(PAGE);
  #alerts = $state.raw<Alert[]>([]);
  #total = $state(0);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #selectedIds = $state.raw<readonly number[]>([]);
  #anchor: number | null = null;
  #opened = $state.raw<AlertDetail | null>(null);

  get alerts() {
    return this.#alerts;
  }
  get total() {
    return this.#total;
  }
  get loaded() {
    return this.#loaded;
  }
  get error() {
    return this.#error;
  }
  /** The firing alerts ticked for acknowledgement. */
  get selectedIds(): readonly number[] {
    return this.#selectedIds;
  }

  isSelected(id: number): boolean {
    return this.#selectedIds.includes(id);
  }
  get opened() {
    return this.#opened;
  }

  /** Only firing alerts can be acknowledged; the selection holds nothing else. */
  readonly selectable = $derived(this.#alerts.filter((a) => a.state === 'firing'));
  readonly filtered = $derived(this.state !== '' || this.severity !== '' || this.kind !== '' || this.text.trim() !== '');

  filter(): InputOf<'alerts:list'> {
    const state =
      this.view === 'open'
        ? this.state === 'resolved' || this.state === ''
          ? 'open'
          : this.state
        : this.state === 'resolved'
          ? 'resolved'
          : 'all';
    return {
      state,
      ...(this.severity ? { severity: this.severity } : {}),
      ...(this.kind ? { kind: this.kind } : {}),
      ...(this.text.trim() ? { text: this.text.trim() } : {}),
      limit: this.limit,
    };
  }

  setView(view: AlertsView): void {
    this.view = view;
    this.state = '';
    this.limit = PAGE;
  }

  clearFilters(): void {
    this.state = '';
    this.severity = '';
    this.kind = '';
    this.text = '';
  }

  showMore(): void {
    this.limit = Math.min(5_000, this.limit + PAGE);
  }

  /** Follows the host's changes; returns the unsubscribe for the page's teardown. */
  start(): () => void {
    return api.on('alerts:changed', ({ what }) => {
      if (what.includes('alerts') || what.includes('holds')) void this.load();
      const open = this.#opened;
      if (open && (what.includes('alerts') || what.includes('deliveries'))) void this.open(open.id);
    });
  }

  async load(): Promise<void> {
    try {
      const { alerts, total } = await api.call('alerts:list', this.filter());
      this.#alerts = alerts;
      this.#total = total;
      this.#error = null;
      const firing = alerts.filter((a) => a.state === 'firing').map((a) => a.id);
      if (this.#selectedIds.some((id) => !firing.includes(id))) this.#selectedIds = this.#selectedIds.filter((id) => firing.includes(id));
    } catch (e) {
      this.#error = callError(e).message;
    } finally {
      this.#loaded = true;
    }
  }

  /** Click, or shift-click for the range from the last one clicked (among firing alerts). */
  toggle(id: number, range: boolean): void {
    const ids = this.selectable.map((a) => a.id);
    const from = this.#anchor === null ? -1 : ids.indexOf(this.#anchor);
    const to = ids.indexOf(id);
    let next: number[];
    if (range && from >= 0 && to >= 0) {
      const [a, b] = from < to ? [from, to] : [to, from];
      next = [...this.#selectedIds, ...ids.slice(a, b + 1).filter((x) => !this.#selectedIds.includes(x))];
    } else if (this.#selectedIds.includes(id)) next = this.#selectedIds.filter((x) => x !== id);
    else next = [...this.#selectedIds, id];
    this.#anchor = id;
    this.#selectedIds = next;
  }

  selectAll(): void {
    this.#selectedIds = this.selectable.map((a) => a.id);
  }

  clearSelection(): void {
    this.#selectedIds = [];
    this.#anchor = null;
  }

  async acknowledge(ids: readonly number[], note: string): Promise<Alert[]> {
    const done = await api.call('alerts:acknowledge', { ids: [...ids], note });
    this.clearSelection();
    await this.load();
    if (this.#opened && ids.includes(this.#opened.id)) await this.open(this.#opened.id);
    return done;
  }

  async open(id: number): Promise<void> {
    try {
      this.#opened = await api.call('alerts:get', { id });
    } catch (e) {
      this.#error = callError(e).message;
    }
  }

  close(): void {
    this.#opened = null;
  }

  exportAs(format: 'json' | 'csv'): Promise<{ text: string; fileName: string }> {
    return api.call('alerts:export', { format, filter: { ...this.filter(), limit: 5_000 } });
  }
}
