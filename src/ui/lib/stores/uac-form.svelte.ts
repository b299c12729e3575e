import type { UacUpstreamInput, UacUpstreamState, UacView } from '../../../contract/uac-methods';
import { api, callError } from '../api';
import { FieldErrors } from '../field-errors';

// A server's UAC Auth upstreams as the Server Config edits them: a small table saved as a whole
// (the host refuses the whole list on any problem, naming the row and field). A password typed in a
// row is sent once with the save and then cleared; the table only ever learns whether one is set.

export interface UpstreamRow {
  /** Null for a row added here and not saved yet. */
  id: string | null;
  registrar: string;
  username: string;
  expiry: number;
  /** A new password to store; empty keeps the stored one. */
  password: string;
  passwordSet: boolean;
}

const rowsOf = (view: UacView): UpstreamRow[] =>
  view.upstreams.map((u) => ({
    id: u.id,
    registrar: u.registrar,
    username: u.username,
    expiry: u.expiry,
    password: '',
    passwordSet: u.passwordSet,
  }));
const shape = (rows: readonly UpstreamRow[]): string =>
  JSON.stringify(rows.map((r) => [r.id, r.registrar.trim(), r.username.trim(), Number(r.expiry), r.password]));

export class UacForm {
  readonly serverId: string;
  rows = $state<UpstreamRow[]>([]);
  #view = $state.raw<UacView | null>(null);
  #baseline = $state('');
  #errors = $state.raw(new FieldErrors());
  #busy = $state(false);
  #reading = $state(false);
  #readError = $state<string | null>(null);

  constructor(serverId: string) {
    this.serverId = serverId;
  }

  get view(): UacView | null {
    return this.#view;
  }
  get errors(): FieldErrors {
    return this.#errors;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get reading(): boolean {
    return this.#reading;
  }
  /** Why the last "Read state now" did not run at all (the read's own failures are in the view). */
  get readError(): string | null {
    return this.#readError;
  }
  get dirty(): boolean {
    return shape(this.rows) !== this.#baseline;
  }

  /** The live state of a saved row, from the last read; null before one. */
  stateOf(row: UpstreamRow): UacUpstreamState | null {
    if (row.id === null) return null;
    return this.#view?.status.upstreams.find((s) => s.upstreamId === row.id) ?? null;
  }

  error(index: number, field: string): string | null {
    return this.#errors.get(`upstreams.${index}.${field}`);
  }

  #show(view: UacView, keepRows = false): void {
    this.#view = view;
    if (!keepRows) {
      this.rows = rowsOf(view);
      this.#baseline = shape(this.rows);
    }
  }

  async load(): Promise<void> {
    try {
      this.#show(await api.call('uac:get', { serverId: this.serverId }));
    } catch (err) {
      this.#errors = new FieldErrors(callError(err));
    }
  }

  add(): void {
    this.rows.push({ id: null, registrar: '', username: '', expiry: 3600, password: '', passwordSet: false });
  }

  remove(index: number): void {
    this.rows.splice(index, 1);
    // Errors name rows by position: after a removal they would point at the wrong row.
    this.#errors = new FieldErrors();
  }

  reset(): void {
    if (this.#view) this.#show(this.#view);
    this.#errors = new FieldErrors();
  }

  async save(): Promise<boolean> {
    this.#busy = true;
    const upstreams: UacUpstreamInput[] = this.rows.map((r) => ({
      ...(r.id === null ? {} : { id: r.id }),
      registrar: r.registrar,
      username: r.username,
      expiry: Number(r.expiry),
      ...(r.password === '' ? {} : { password: r.password }),
    }));
    try {
      this.#show(await api.call('uac:set-upstreams', { serverId: this.serverId, upstreams }));
      this.#errors = new FieldErrors();
      return true;
    } catch (err) {
      this.#errors = new FieldErrors(callError(err));
      return false;
    } finally {
      this.#busy = false;
    }
  }

  /** Reads each registration's state from the server now (nothing changes there). */
  async readStatus(): Promise<void> {
    this.#reading = true;
    this.#readError = null;
    try {
      this.#show(await api.call('uac:status', { serverId: this.serverId }), this.dirty);
    } catch (err) {
      this.#readError = callError(err).message;
    } finally {
      this.#reading = false;
    }
  }
}
