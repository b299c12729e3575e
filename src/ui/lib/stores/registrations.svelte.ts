// One server's registered user locations as its Registrations tab shows them: the whole table read
// over SSH when the operator asks (a dump of thousands of contacts is not something to poll), and
// a lookup of one user by name, which the server answers itself.
import type { RegisteredContact, RegistrationLookup, ServerRegistrations } from '../../../contract/registrations-methods';
import { api, callError } from '../api';

export type ContactFilter = 'all' | 'silent';

export class RegistrationsState {
  #data = $state.raw<ServerRegistrations | null>(null);
  #error = $state<string | null>(null);
  #reading = $state(false);
  #filter = $state<ContactFilter>('all');

  #found = $state.raw<RegistrationLookup | null>(null);
  #lookupError = $state<{ message: string; field: string | null } | null>(null);
  #looking = $state(false);
  user = $state('');

  #shown = $derived.by((): RegisteredContact[] => {
    const contacts = this.#data?.contacts ?? [];
    return this.#filter === 'silent' ? contacts.filter((c) => c.keepalive.state === 'silent') : contacts;
  });

  constructor(private readonly serverId: string) {}

  get data(): ServerRegistrations | null {
    return this.#data;
  }
  get error(): string | null {
    return this.#error;
  }
  get reading(): boolean {
    return this.#reading;
  }
  get filter(): ContactFilter {
    return this.#filter;
  }
  set filter(value: ContactFilter) {
    this.#filter = value;
  }
  /** The contacts the table lists under the filter. */
  get shown(): RegisteredContact[] {
    return this.#shown;
  }
  get found(): RegistrationLookup | null {
    return this.#found;
  }
  get lookupError(): { message: string; field: string | null } | null {
    return this.#lookupError;
  }
  get looking(): boolean {
    return this.#looking;
  }

  async read(): Promise<void> {
    this.#reading = true;
    this.#error = null;
    try {
      this.#data = await api.call('registrations:for-server', { serverId: this.serverId });
      if (this.#data.keepaliveHealth.silent === 0) this.#filter = 'all';
    } catch (e) {
      this.#error = callError(e).message;
    } finally {
      this.#reading = false;
    }
  }

  async lookup(): Promise<void> {
    this.#looking = true;
    this.#lookupError = null;
    try {
      this.#found = await api.call('registrations:lookup', { serverId: this.serverId, user: this.user });
    } catch (e) {
      const error = callError(e);
      this.#found = null;
      // A refused name is said beside the field; the field's name is the contract's (`user`).
      this.#lookupError = {
        message: error.field === 'user' ? `User ${error.message.replace(/^user:?\s*/i, '')}` : error.message,
        field: error.field ?? null,
      };
    } finally {
      this.#looking = false;
    }
  }
}
