import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from '../contract/roles';

/**
 * Who made a call. The loopback host and the desktop app have one person at the keyboard (the
 * local user, with every right); a team host knows the signed-in account and where it came from.
 * Services that record who did what read it with `currentCaller()` instead of every handler
 * passing it along.
 */
export interface Caller {
  account: string;
  role: Role;
  /** The client's address as the host saw it (after --trust-proxy), when there is a network between. */
  address?: string;
}

export const LOCAL_CALLER: Caller = Object.freeze({ account: 'local user', role: 'admin' });

const storage = new AsyncLocalStorage<Caller>();

/** Runs `work` (and everything it awaits) as `caller`. */
export function runAs<T>(caller: Caller, work: () => T): T {
  return storage.run(caller, work);
}

/** The caller of the call being handled; the local user outside any call (timers, the CLI). */
export function currentCaller(): Caller {
  return storage.getStore() ?? LOCAL_CALLER;
}
