import { api, callError } from '../api';

/**
 * The install command as a setting: the fleet's (Settings) when `serverId` is null, else one
 * server's own (Server Config), which wins over the fleet's. An empty field saves as "none"; any
 * other value is checked by the host (an absolute path or an https URL) and refused beside the field.
 */
export class InstallCommandForm {
  readonly serverId: string | null;
  value = $state('');
  #saved = $state<string | null>(null);
  #fleet = $state<string | null>(null);
  #error = $state<string | null>(null);
  #busy = $state(false);
  #loaded = $state(false);

  constructor(serverId: string | null) {
    this.serverId = serverId;
  }

  get saved(): string | null {
    return this.#saved;
  }
  /** The fleet's command, shown as what a server without its own runs. */
  get fleet(): string | null {
    return this.#fleet;
  }
  get error(): string | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get dirty(): boolean {
    return this.value.trim() !== (this.#saved ?? '');
  }

  async load(): Promise<void> {
    try {
      const view = await api.call('actions:install-command', { serverIds: this.serverId === null ? [] : [this.serverId] });
      this.#fleet = view.fleet;
      this.#saved = this.serverId === null ? view.fleet : (view.servers[0]?.override ?? null);
      this.value = this.#saved ?? '';
      this.#error = null;
    } catch (err) {
      this.#error = callError(err).message;
    } finally {
      this.#loaded = true;
    }
  }

  /** Saves; resolves true when the host took it. */
  async save(): Promise<boolean> {
    this.#busy = true;
    const text = this.value.trim();
    try {
      const view = await api.call('actions:set-install-command', { serverId: this.serverId, command: text === '' ? null : text });
      this.#fleet = view.fleet;
      this.#saved = this.serverId === null ? view.fleet : (view.servers[0]?.override ?? null);
      this.value = this.#saved ?? '';
      this.#error = null;
      return true;
    } catch (err) {
      this.#error = callError(err).message;
      return false;
    } finally {
      this.#busy = false;
    }
  }

  reset(): void {
    this.value = this.#saved ?? '';
    this.#error = null;
  }
}
