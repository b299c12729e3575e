import { createHash, randomBytes } from 'node:crypto';
import type { AccountsDirectory, AccountView } from '../../services/accounts/accounts-types';

// Signed-in sessions of a team host, in memory: a restart signs everyone out, which is the safe
// failure. The cookie carries 32 random bytes; the table keys on their SHA-256, so nothing in
// memory can be replayed as a cookie. A session ends when it sits idle too long, when it is too
// old whatever its use, on sign-out (this one) or sign-out everywhere (all of its account), and
// the moment its account is disabled or its `changedAt` moves (a role change or password reset).
// A viewer's page on show (visible, its events socket open) says so once a minute, and that counts
// as use: a wall display is not signed out while it is shown. Operators and admins are not kept
// alive that way: a console left open on an empty desk must not keep the right to run actions.

export const SESSION_COOKIE = '__Host-switchyard_session';
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 3_600_000;
/** A bound on memory whoever signs in how often; the oldest session goes first. */
const MAX_SESSIONS = 10_000;

export interface Session {
  account: string;
  role: AccountView['role'];
  address: string;
  issuedAt: number;
  lastSeen: number;
}

export type SessionCheck =
  { ok: true; session: Session } | { ok: false; reason: 'none' | 'unknown' | 'idle' | 'expired' | 'account-changed' | 'account-disabled' };

export interface TeamSessions {
  /** A new session for a verified account; returns the cookie value. */
  open(account: AccountView, address: string): string;
  /** The live session the cookie value names (and, unless `touch` is false, marks it used), or why there is none. */
  check(cookie: string | undefined, touch?: boolean): SessionCheck;
  /**
   * A page of the session says it is still shown (events-shown.ts): for a live viewer session this
   * counts as use (idle expiry starts again; the absolute limit and account changes still end it).
   * True when it did; false for other roles and for a session that is over.
   */
  shown(cookie: string): boolean;
  /** Ends one session; true when it was live. */
  close(cookie: string | undefined): Session | null;
  /** Ends every session of an account; how many live ones ended. */
  closeAll(account: string): number;
  /** Sessions that are still live (tests, the closing of event sockets). */
  liveCount(): number;
}

interface Entry extends Session {
  changedAt: number;
}

export function createTeamSessions(accounts: AccountsDirectory, now: () => number = Date.now): TeamSessions {
  const table = new Map<string, Entry>();
  const keyOf = (cookie: string) => createHash('sha256').update(cookie).digest('hex');

  function verdict(entry: Entry): SessionCheck {
    const at = now();
    if (at - entry.issuedAt >= ABSOLUTE_MS) return { ok: false, reason: 'expired' };
    if (at - entry.lastSeen >= IDLE_MS) return { ok: false, reason: 'idle' };
    const account = accounts.find(entry.account);
    if (account === undefined || account.disabled) return { ok: false, reason: 'account-disabled' };
    if (account.changedAt !== entry.changedAt) return { ok: false, reason: 'account-changed' };
    // The role is read afresh: a change moves changedAt anyway, so this is belt and braces.
    entry.role = account.role;
    return { ok: true, session: entry };
  }

  function prune(): void {
    for (const [key, entry] of table) if (!verdict(entry).ok) table.delete(key);
    while (table.size >= MAX_SESSIONS) table.delete(table.keys().next().value as string);
  }

  return {
    open(account, address) {
      prune();
      const cookie = randomBytes(32).toString('base64url');
      const at = now();
      table.set(keyOf(cookie), {
        account: account.name,
        role: account.role,
        address,
        issuedAt: at,
        lastSeen: at,
        changedAt: account.changedAt,
      });
      return cookie;
    },
    check(cookie, touch = true) {
      if (cookie === undefined || !/^[A-Za-z0-9_-]{43}$/.test(cookie)) return { ok: false, reason: 'none' };
      const key = keyOf(cookie);
      const entry = table.get(key);
      if (entry === undefined) return { ok: false, reason: 'unknown' };
      const result = verdict(entry);
      if (!result.ok) table.delete(key);
      else if (touch) entry.lastSeen = now();
      return result;
    },
    shown(cookie) {
      const key = keyOf(cookie);
      const entry = table.get(key);
      if (entry === undefined) return false;
      const result = verdict(entry);
      if (!result.ok) {
        table.delete(key);
        return false;
      }
      // Read after the verdict, which takes the role afresh from the account.
      if (entry.role !== 'viewer') return false;
      entry.lastSeen = now();
      return true;
    },
    close(cookie) {
      if (cookie === undefined) return null;
      const key = keyOf(cookie);
      const entry = table.get(key);
      table.delete(key);
      return entry !== undefined && verdict(entry).ok ? entry : null;
    },
    closeAll(account) {
      let ended = 0;
      for (const [key, entry] of table) {
        if (entry.account !== account) continue;
        if (verdict(entry).ok) ended += 1;
        table.delete(key);
      }
      return ended;
    },
    liveCount() {
      let live = 0;
      for (const entry of table.values()) if (verdict(entry).ok) live += 1;
      return live;
    },
  };
}

/** The session cookie's value in a Cookie header (the first, as a browser sends the most specific first). */
export function sessionCookieOf(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `__Host-` binds the cookie to this exact host, HTTPS only, path /: no subdomain or plain-http page may set or read it. */
export function sessionSetCookie(cookie: string): string {
  return `${SESSION_COOKIE}=${cookie}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=${ABSOLUTE_MS / 1000}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0`;
}

/** Words for a refused session, for the API's 401 and the sign-in page. */
export function sessionRefusal(reason: Exclude<SessionCheck, { ok: true }>['reason']): string {
  switch (reason) {
    case 'idle':
      return 'Your session ended after 30 minutes without use: sign in again.';
    case 'expired':
      return 'Your session reached its 12-hour limit: sign in again.';
    case 'account-changed':
      return 'Your account was changed (role or password): sign in again.';
    case 'account-disabled':
      return 'Your account is disabled: ask an admin of this Switchyard host.';
    default:
      return 'Not signed in to this Switchyard host: sign in first.';
  }
}
