import type { Account } from '../../../contract/accounts-methods';
import type { CallError } from '../../../contract/result';
import type { Role } from '../../../contract/roles';
import { api, callError } from '../api';
import { toasts } from './toasts.svelte';

/** The Accounts page's state: the list, and the refusal of the last change per account (shown on its row). */
class AccountsStore {
  #list = $state.raw<Account[]>([]);
  #loading = $state(false);
  #listError = $state<CallError | null>(null);
  #rowErrors = $state.raw<Readonly<Record<string, string>>>({});
  #busy = $state<string | null>(null);

  get list() {
    return this.#list;
  }
  get loading() {
    return this.#loading;
  }
  /** Why the list could not be read (a viewer or operator on a team host is refused it). */
  get listError() {
    return this.#listError;
  }
  /** The account a change is being made to, while it is. */
  get busy() {
    return this.#busy;
  }
  rowError(name: string): string | null {
    return this.#rowErrors[name] ?? null;
  }

  async load(): Promise<void> {
    this.#loading = true;
    try {
      this.#list = await api.call('accounts:list', {});
      this.#listError = null;
    } catch (error) {
      this.#listError = callError(error);
    } finally {
      this.#loading = false;
    }
  }

  /** Puts a changed account in place (after add, reset, role, disable, enable), keeping the order by name. */
  put(account: Account): void {
    const others = this.#list.filter((a) => a.name.toLowerCase() !== account.name.toLowerCase());
    this.#list = [...others, account].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
  }

  setRole(name: string, role: Role): Promise<boolean> {
    return this.#change(
      name,
      () => api.call('accounts:set-role', { name, role }),
      (a) => `${a.name} is now ${a.role}.`,
    );
  }

  disable(name: string): Promise<boolean> {
    return this.#change(
      name,
      () => api.call('accounts:disable', { name }),
      (a) => `${a.name} is disabled; its sessions have ended.`,
    );
  }

  enable(name: string): Promise<boolean> {
    return this.#change(
      name,
      () => api.call('accounts:enable', { name }),
      (a) => `${a.name} can sign in again.`,
    );
  }

  async #change(name: string, call: () => Promise<Account>, done: (account: Account) => string): Promise<boolean> {
    this.#busy = name;
    const { [name]: _old, ...rest } = this.#rowErrors;
    this.#rowErrors = rest;
    try {
      const account = await call();
      this.put(account);
      toasts.ok(done(account));
      return true;
    } catch (error) {
      this.#rowErrors = { ...this.#rowErrors, [name]: callError(error).message };
      return false;
    } finally {
      this.#busy = null;
    }
  }
}

export const accounts = new AccountsStore();
