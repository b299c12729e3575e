// Failed sign-ins slowed down per account name and per client address: five in a minute are
// allowed, the sixth waits until the oldest of those five is a minute old, and the answer says
// how long. An attempt counts from the moment it starts (before the password hash is computed),
// so a thousand parallel guesses cannot all slip past the count while the first five are still
// hashing; a successful sign-in takes its own attempt back. A refused attempt costs a map
// lookup, never a hash: a loop of guesses cannot starve the host of CPU.

export const FAILURES_ALLOWED = 5;
export const WINDOW_MS = 60_000;
/** Names and addresses remembered at once; the least recently failed are forgotten first. */
const MAX_KEYS = 20_000;

export type Admission = { ok: true; done(success: boolean): void } | { ok: false; retryAfterMs: number; by: 'account' | 'address' };

export interface SignInThrottle {
  admit(account: string, address: string): Admission;
}

export function createSignInThrottle(now: () => number = Date.now): SignInThrottle {
  const attempts = new Map<string, number[]>();

  function recent(key: string): number[] {
    const list = (attempts.get(key) ?? []).filter((at) => now() - at < WINDOW_MS);
    if (list.length === 0) attempts.delete(key);
    else attempts.set(key, list);
    return list;
  }

  function waitFor(key: string): number {
    const list = recent(key);
    if (list.length < FAILURES_ALLOWED) return 0;
    return list[list.length - FAILURES_ALLOWED]! + WINDOW_MS - now();
  }

  function add(key: string, at: number): void {
    const list = attempts.get(key) ?? [];
    // Re-inserted so the map's order is least recently failed first.
    attempts.delete(key);
    attempts.set(key, [...list.slice(-FAILURES_ALLOWED), at]);
    while (attempts.size > MAX_KEYS) attempts.delete(attempts.keys().next().value as string);
  }

  return {
    admit(account, address) {
      const accountKey = `account:${account.toLowerCase()}`;
      const addressKey = `address:${address}`;
      const byAccount = waitFor(accountKey);
      const byAddress = waitFor(addressKey);
      if (byAccount > 0 || byAddress > 0) {
        return byAccount >= byAddress
          ? { ok: false, retryAfterMs: byAccount, by: 'account' }
          : { ok: false, retryAfterMs: byAddress, by: 'address' };
      }
      const at = now();
      add(accountKey, at);
      add(addressKey, at);
      return {
        ok: true,
        done(success) {
          if (!success) return;
          for (const key of [accountKey, addressKey]) {
            const list = attempts.get(key);
            const i = list?.lastIndexOf(at) ?? -1;
            if (list !== undefined && i >= 0) list.splice(i, 1);
          }
        },
      };
    },
  };
}

/** "42 s", "2 min 5 s": how long a refused sign-in waits, in words. */
export function waitWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return rest === 0 ? `${seconds / 60} min` : `${Math.floor(seconds / 60)} min ${rest} s`;
}
