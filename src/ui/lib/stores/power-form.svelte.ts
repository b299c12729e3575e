import type { OutOfBandMethod, PowerMethodView, PowerStatus } from '../../../contract/power-methods';
import { api, callError } from '../api';
import { FieldErrors } from '../field-errors';

// A server's out-of-band power method as the Server Config edits it: none, IPMI over LAN (BMC
// address, port, user, cipher suite; the password written to the secret store on its own), or the
// operator's own command per power operation, one argument per line (no shell in between).

export type MethodKind = 'none' | 'ipmi' | 'command';
export const COMMAND_OPS = ['status', 'on', 'soft', 'cycle'] as const;
export type CommandOp = (typeof COMMAND_OPS)[number];

const lines = (argv: readonly string[]): string => argv.join('\n');
const argvOf = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

export class PowerForm {
  readonly serverId: string;
  kind = $state<MethodKind>('none');
  host = $state('');
  port = $state(623);
  user = $state('');
  cipherSuite = $state<3 | 17>(17);
  commands = $state<Record<CommandOp, string>>({ status: '', on: '', soft: '', cycle: '' });
  password = $state('');
  #view = $state.raw<PowerMethodView | null>(null);
  #baseline = $state('');
  #errors = $state.raw(new FieldErrors());
  #busy = $state(false);
  #status = $state.raw<PowerStatus | null>(null);
  #statusError = $state<string | null>(null);
  #reading = $state(false);

  constructor(serverId: string) {
    this.serverId = serverId;
  }

  get view(): PowerMethodView | null {
    return this.#view;
  }
  get errors(): FieldErrors {
    return this.#errors;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get status(): PowerStatus | null {
    return this.#status;
  }
  get statusError(): string | null {
    return this.#statusError;
  }
  get reading(): boolean {
    return this.#reading;
  }
  get dirty(): boolean {
    return JSON.stringify(this.#method()) !== this.#baseline;
  }

  #method(): OutOfBandMethod | null {
    if (this.kind === 'ipmi')
      return { method: 'ipmi', host: this.host.trim(), port: Number(this.port), user: this.user.trim(), cipherSuite: this.cipherSuite };
    if (this.kind === 'command') {
      const c = this.commands;
      return { method: 'command', status: argvOf(c.status), on: argvOf(c.on), soft: argvOf(c.soft), cycle: argvOf(c.cycle) };
    }
    return null;
  }

  #show(view: PowerMethodView): void {
    this.#view = view;
    const m = view.method;
    this.kind = m === null ? 'none' : m.method;
    if (m?.method === 'ipmi') {
      this.host = m.host;
      this.port = m.port;
      this.user = m.user;
      this.cipherSuite = m.cipherSuite;
    }
    if (m?.method === 'command') this.commands = { status: lines(m.status), on: lines(m.on), soft: lines(m.soft), cycle: lines(m.cycle) };
    this.#baseline = JSON.stringify(this.#method());
  }

  async load(): Promise<void> {
    try {
      this.#show(await api.call('power:get-method', { serverId: this.serverId }));
    } catch (err) {
      this.#errors = new FieldErrors(callError(err));
    }
  }

  async save(): Promise<boolean> {
    this.#busy = true;
    try {
      this.#show(await api.call('power:set-method', { serverId: this.serverId, method: this.#method() }));
      this.#errors = new FieldErrors();
      return true;
    } catch (err) {
      this.#errors = new FieldErrors(callError(err));
      return false;
    } finally {
      this.#busy = false;
    }
  }

  reset(): void {
    if (this.#view) this.#show(this.#view);
    this.#errors = new FieldErrors();
  }

  async setPassword(): Promise<boolean> {
    if (this.password === '') return false;
    this.#busy = true;
    try {
      this.#view = await api.call('power:set-password', { serverId: this.serverId, password: this.password });
      this.password = '';
      this.#errors = new FieldErrors();
      return true;
    } catch (err) {
      this.#errors = new FieldErrors(callError(err));
      return false;
    } finally {
      this.#busy = false;
    }
  }

  async clearPassword(): Promise<void> {
    try {
      this.#view = await api.call('power:clear-password', { serverId: this.serverId });
    } catch (err) {
      this.#errors = new FieldErrors(callError(err));
    }
  }

  /** Reads the power state through the saved method (nothing changes on the server). */
  async readStatus(): Promise<void> {
    this.#reading = true;
    this.#statusError = null;
    try {
      this.#status = await api.call('power:status', { serverId: this.serverId });
    } catch (err) {
      this.#status = null;
      this.#statusError = callError(err).message;
    } finally {
      this.#reading = false;
    }
  }
}
