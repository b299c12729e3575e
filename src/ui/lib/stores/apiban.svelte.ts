import type { ApibanAllowEntry, ApibanStatus, ApibanTarget } from '../../../contract/apiban-methods';
import type { EventPayload } from '../../../contract/events';
import { api, callError } from '../api';

type Progress = EventPayload<'apiban:sync-progress'>;
type ScheduleRun = EventPayload<'apiban:schedule-run'>;
type Row = { ip: string; firstSeen: number; lastSeen: number };

/** The APIBAN page's state: status and schedule, the live sync progress, the allow-list and one page of the list. */
export class ApibanView {
  #status = $state<ApibanStatus | null>(null);
  #progress = $state<Progress | null>(null);
  #lastApply = $state<ScheduleRun | null>(null);
  #rows = $state.raw<Row[]>([]);
  #total = $state(0);
  #allowed = $state.raw<ApibanAllowEntry[]>([]);
  #error = $state<string | null>(null);
  search = $state('');

  get status() {
    return this.#status;
  }
  get progress() {
    return this.#progress;
  }
  /** The schedule's latest apply that ended while the page was open. */
  get lastApply() {
    return this.#lastApply;
  }
  get rows() {
    return this.#rows;
  }
  get total() {
    return this.#total;
  }
  get allowed() {
    return this.#allowed;
  }
  get error() {
    return this.#error;
  }

  /** Subscribes to the host's events; returns the unsubscribe for the page's teardown. */
  start(): () => void {
    void this.refresh();
    const offProgress = api.on('apiban:sync-progress', (p) => (this.#progress = p));
    const offChanged = api.on('apiban:changed', () => void this.refresh());
    const offRun = api.on('apiban:schedule-run', (run) => {
      if (run.what === 'apply') this.#lastApply = run;
      void this.refresh();
    });
    return () => {
      offProgress();
      offChanged();
      offRun();
    };
  }

  async refresh(): Promise<void> {
    try {
      const [status, page, allowed] = await Promise.all([
        api.call('apiban:status', {}),
        api.call('apiban:list', { search: this.search, limit: 500, offset: 0 }),
        api.call('apiban:list-allowed', {}),
      ]);
      this.#status = status;
      this.#rows = page.rows;
      this.#total = page.total;
      this.#allowed = allowed;
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    }
  }

  /** Turns the schedule on or off, or changes its interval; throws the host's refusal. */
  async setSchedule(input: { enabled?: boolean; intervalSec?: number }): Promise<void> {
    this.#status = await api.call('apiban:set-schedule', input);
  }

  /** One server applied to by itself with `method`, or not at all (null); the others as they are. */
  async setTarget(serverId: string, method: ApibanTarget['method'] | null): Promise<void> {
    const others = (this.#status?.schedule.targets ?? [])
      .filter((t) => t.serverId !== serverId)
      .map(({ serverId: id, method: m }) => ({ serverId: id, method: m }));
    this.#status = await api.call('apiban:set-schedule', { targets: method === null ? others : [...others, { serverId, method }] });
  }

  async allow(entry: string, note: string): Promise<{ entry: ApibanAllowEntry; removed: number }> {
    const added = await api.call('apiban:add-allowed', { entry, note });
    await this.refresh();
    return added;
  }

  async unallow(entry: string): Promise<void> {
    await api.call('apiban:remove-allowed', { entry });
    await this.refresh();
  }
}
