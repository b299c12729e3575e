import type { FailoverPathView, FleetChange, KeepaliveReport, LimitsReport } from '../../../contract/platform-methods';
import { api, callError } from '../api';

// The Capacity page: effective limits for a customer's allowance, the what-if calculator's
// planned changes and result, failover paths and keepalive overhead. Everything is read from the
// host again when the fleet changes; planned changes never touch the fleet. Registrations are
// counted on the servers over SSH only when the operator presses the button, never on a load.

export class CapacityState {
  cps = $state(10);
  channels = $state(100);
  /** Stands in only for servers whose registrations cannot be read over SSH. */
  fallbackRegistrations = $state(0);
  intervalSec = $state(1);

  #limits = $state.raw<LimitsReport | null>(null);
  #after = $state.raw<LimitsReport | null>(null);
  #changes = $state.raw<FleetChange[]>([]);
  #failover = $state.raw<FailoverPathView[]>([]);
  #keepalive = $state.raw<KeepaliveReport | null>(null);
  #keepaliveReading = $state(false);
  #readProgress = $state<{ done: number; total: number } | null>(null);
  #errors = $state<Record<string, string>>({});

  get limits() {
    return this.#limits;
  }
  get after() {
    return this.#after;
  }
  get changes() {
    return this.#changes;
  }
  get failover() {
    return this.#failover;
  }
  get keepalive() {
    return this.#keepalive;
  }
  /** Registrations are being counted on the servers over SSH. */
  get keepaliveReading() {
    return this.#keepaliveReading;
  }
  /** Servers answered so far while registrations are being counted. */
  get readProgress() {
    return this.#readProgress;
  }
  error(key: string): string | null {
    return this.#errors[key] ?? null;
  }

  start(): () => void {
    void this.refresh();
    const offFleet = api.on('fleet:changed', () => void this.refresh());
    const offProgress = api.on('platform:keepalive-progress', (p) => {
      if (this.#keepaliveReading) this.#readProgress = p;
    });
    return () => {
      offFleet();
      offProgress();
    };
  }

  async refresh(): Promise<void> {
    await Promise.all([this.loadLimits(), this.loadFailover(), this.loadKeepalive()]);
  }

  #setError(key: string, message: string | null): void {
    const next = { ...this.#errors };
    if (message === null) delete next[key];
    else next[key] = message;
    this.#errors = next;
  }

  /** A refusal is shown beside the field it names; anything else beside the section. */
  #fail(section: string, e: unknown): void {
    const err = callError(e);
    const field = err.field?.replace(/^allowance\./, '');
    this.#setError(
      field === 'cps' || field === 'channels' || field === 'fallbackRegistrations' || field === 'intervalSec' ? field : section,
      err.message,
    );
  }

  async loadLimits(): Promise<void> {
    const allowance = { cps: this.cps, channels: this.channels };
    for (const k of ['cps', 'channels', 'limits', 'calculator']) this.#setError(k, null);
    try {
      this.#limits = await api.call('platform:limits', allowance);
      this.#after = this.#changes.length === 0 ? null : (await api.call('platform:calculate', { allowance, changes: this.#changes })).after;
    } catch (e) {
      this.#fail('limits', e);
    }
  }

  async plan(change: FleetChange): Promise<void> {
    const changes = [...this.#changes, change];
    this.#setError('calculator', null);
    try {
      const result = await api.call('platform:calculate', { allowance: { cps: this.cps, channels: this.channels }, changes });
      this.#changes = changes;
      this.#after = result.after;
    } catch (e) {
      this.#fail('calculator', e);
    }
  }

  async unplan(index: number): Promise<void> {
    this.#changes = this.#changes.filter((_, i) => i !== index);
    await this.loadLimits();
  }

  async clearPlan(): Promise<void> {
    this.#changes = [];
    this.#after = null;
    this.#setError('calculator', null);
  }

  async loadFailover(): Promise<void> {
    try {
      this.#failover = await api.call('platform:failover', {});
      this.#setError('failover', null);
    } catch (e) {
      this.#fail('failover', e);
    }
  }

  /** The overhead from the counts last read; `refresh` reads them on every server first (SSH). */
  async loadKeepalive(refresh = false): Promise<void> {
    for (const k of ['fallbackRegistrations', 'intervalSec', 'keepalive']) this.#setError(k, null);
    if (refresh) {
      this.#keepaliveReading = true;
      this.#readProgress = null;
    }
    try {
      this.#keepalive = await api.call('platform:keepalive', {
        fallbackRegistrations: this.fallbackRegistrations,
        intervalSec: this.intervalSec,
        refresh,
      });
    } catch (e) {
      this.#fail('keepalive', e);
    } finally {
      if (refresh) {
        this.#keepaliveReading = false;
        this.#readProgress = null;
      }
    }
  }

  readRegistrations(): Promise<void> {
    return this.loadKeepalive(true);
  }
}
