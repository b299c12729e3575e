import type { CallError } from '../../../contract/result';
import type { VantageSettings, VantageSourceStatus, VantageStatus } from '../../../contract/vantage-methods';
import { api, callError } from '../api';
import { FieldErrors } from '../field-errors';

/** A target row being edited: the address and label as typed. */
export interface TargetRow {
  address: string;
  label: string;
}

/**
 * Settings → Vantage points: the settings as a form (saved all or nothing, errors beside the
 * field they name) and each vantage server's stream, kept current by `vantage:stream-changed` pushes.
 */
export class VantageForm {
  draft = $state<VantageSettings | null>(null);
  #saved = $state.raw<VantageSettings | null>(null);
  #status = $state.raw<VantageStatus | null>(null);
  #errors = $state.raw(new FieldErrors());
  #busy = $state(false);
  #off: (() => void) | null = null;

  get errors(): FieldErrors {
    return this.#errors;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get status(): VantageStatus | null {
    return this.#status;
  }
  get dirty(): boolean {
    return this.draft !== null && JSON.stringify(this.draft) !== JSON.stringify(this.#saved);
  }

  async load(): Promise<void> {
    try {
      const [settings, status] = await Promise.all([api.call('vantage:settings', {}), api.call('vantage:status', {})]);
      this.#saved = settings;
      this.draft = structuredClone(settings);
      this.#status = status;
      this.#errors = new FieldErrors();
    } catch (err) {
      this.#errors = new FieldErrors(callError(err));
    }
  }

  /** Follows the streams; returns the unsubscribe. */
  follow(): () => void {
    this.#off ??= api.on('vantage:stream-changed', ({ source }) => this.#update(source));
    return () => {
      this.#off?.();
      this.#off = null;
    };
  }

  #update(source: Omit<VantageSourceStatus, 'targets'>): void {
    const current = this.#status;
    if (!current) return;
    const known = current.sources.some((s) => s.serverId === source.serverId);
    // A server that became a vantage point brings its targets with a full read.
    if (!known) {
      void api.call('vantage:status', {}).then(
        (s) => (this.#status = s),
        () => undefined,
      );
      return;
    }
    this.#status = { ...current, sources: current.sources.map((s) => (s.serverId === source.serverId ? { ...s, ...source } : s)) };
  }

  addTarget(): void {
    this.draft?.targets.push({ address: '', label: '' });
  }
  removeTarget(index: number): void {
    this.draft?.targets.splice(index, 1);
  }

  async save(): Promise<boolean> {
    if (!this.draft) return false;
    this.#busy = true;
    try {
      const saved = await api.call('vantage:save-settings', $state.snapshot(this.draft));
      this.#saved = saved;
      this.draft = structuredClone(saved);
      this.#errors = new FieldErrors();
      this.#status = await api.call('vantage:status', {});
      return true;
    } catch (err) {
      this.#errors = new FieldErrors(callError(err) as CallError);
      return false;
    } finally {
      this.#busy = false;
    }
  }

  reset(): void {
    if (this.#saved) this.draft = structuredClone(this.#saved);
    this.#errors = new FieldErrors();
  }
}
