import type { Server, ServerDraft } from '../../../contract/fleet';
import { DEFAULT_PORTS, defaultServerDraft } from '../../../domain/fleet/defaults';
import { api, callError } from '../api';
import { checkServerDraft } from '../../../domain/fleet/server-draft-check';
import { FieldErrors, serverFieldErrors } from '../field-errors';
import { fleet } from './fleet.svelte';

export type PortKey = keyof typeof DEFAULT_PORTS;

/** The editable part of a server, copied so the form never edits the list's objects. */
export function draftOf(server: Server): ServerDraft {
  const { ip, alias, type, clusterId, zoneId, channels, cps, expiresAt, adminState, config, ssh } = server;
  return structuredClone({ ip, alias, type, clusterId, zoneId, channels, cps, expiresAt, adminState, config, ssh });
}

/** Fields of the Summary tab and of the Config tab, to badge the tab that holds an error. */
export const SUMMARY_FIELDS = ['ip', 'alias', 'type', 'zoneId', 'channels', 'cps', 'expiresAt', 'adminState', 'ssh'];
export const CONFIG_FIELDS = ['clusterId', 'config'];

/**
 * One server being edited or created. Save sends the whole draft; on refusal nothing is saved
 * and each error is kept under the field it names, so the form shows it beside that field.
 */
export class ServerForm {
  readonly id: string | null;
  draft: ServerDraft;
  #baseline: string;
  #errors = $state.raw(new FieldErrors());
  #saving = $state(false);

  readonly dirty: boolean;

  constructor(source: Server | { zoneId: string; sshUser: string }) {
    const initial = 'id' in source ? draftOf(source) : defaultServerDraft(source.zoneId, source.sshUser);
    this.id = 'id' in source ? source.id : null;
    this.draft = $state(initial);
    this.#baseline = $state(JSON.stringify(initial));
    this.dirty = $derived(JSON.stringify(this.draft) !== this.#baseline);
  }

  get errors(): FieldErrors {
    return this.#errors;
  }

  get saving(): boolean {
    return this.#saving;
  }

  get isNew(): boolean {
    return this.id === null;
  }

  error(field: string): string | null {
    return this.#errors.get(field);
  }

  /**
   * Channels change only through Resize Capacity, never by saving the form: when the host's
   * count moves (a resize succeeded) the form follows it, without counting as an edit.
   */
  syncChannels(channels: number): void {
    if (this.draft.channels === channels) return;
    this.draft.channels = channels;
    const baseline = JSON.parse(this.#baseline) as ServerDraft;
    this.#baseline = JSON.stringify({ ...baseline, channels });
  }

  resetPort(port: PortKey): void {
    this.draft.config.ports[port] = DEFAULT_PORTS[port];
  }

  /** Drops edits and errors, back to what the host holds. */
  cancel(server: Server | null): void {
    if (server) this.draft = draftOf(server);
    else this.draft = JSON.parse(this.#baseline) as ServerDraft;
    this.#baseline = JSON.stringify(this.draft);
    this.#errors = new FieldErrors();
  }

  /** Saves; resolves with the stored server, or null when the host refused (errors then set). */
  async save(): Promise<Server | null> {
    this.#saving = true;
    const draft = $state.snapshot(this.draft);
    try {
      const saved =
        this.id === null ? await api.call('fleet:create-server', draft) : await api.call('fleet:update-server', { id: this.id, draft });
      this.draft = draftOf(saved);
      this.#baseline = JSON.stringify(this.draft);
      this.#errors = new FieldErrors();
      return saved;
    } catch (error) {
      this.#errors = serverFieldErrors(callError(error), checkServerDraft(draft, fleet, this.id));
      return null;
    } finally {
      this.#saving = false;
    }
  }
}
