import { createApibanScheduleRepo } from './apiban-schedule-repo';
import type { Db } from './database';

export interface ApibanState {
  baseUrl: string;
  /** The ID the next page is fetched from; `100` until the first page arrives. */
  nextId: string;
  lastSyncAt: number | null;
  lastOutcome: string | null;
  lastMessage: string | null;
}

export interface ApibanAddress {
  ip: string;
  firstSeen: number;
  lastSeen: number;
}

export interface ApibanApplied {
  serverId: string;
  method: string;
  entries: number | null;
  ok: boolean;
  message: string;
  appliedAt: number;
}

interface StateRow {
  base_url: string;
  next_id: string;
  last_sync_at: number | null;
  last_outcome: string | null;
  last_message: string | null;
}

/** The APIBAN list, where its sync resumes, and what each server was given. */
export function createApibanRepo(db: Db) {
  const state = db.prepare('SELECT base_url, next_id, last_sync_at, last_outcome, last_message FROM apiban_state WHERE id = 1');
  const setBase = db.prepare('UPDATE apiban_state SET base_url = ? WHERE id = 1');
  const setNext = db.prepare('UPDATE apiban_state SET next_id = ? WHERE id = 1');
  const setOutcome = db.prepare('UPDATE apiban_state SET last_sync_at = ?, last_outcome = ?, last_message = ? WHERE id = 1');
  const upsert = db.prepare(
    `INSERT INTO apiban_addresses (ip, first_seen, last_seen) VALUES (?, ?, ?)
     ON CONFLICT(ip) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)`,
  );
  const exists = db.prepare('SELECT 1 FROM apiban_addresses WHERE ip = ?');
  const one = db.prepare('SELECT ip, first_seen AS firstSeen, last_seen AS lastSeen FROM apiban_addresses WHERE ip = ?');
  const expire = db.prepare('DELETE FROM apiban_addresses WHERE last_seen < ?');
  const count = db.prepare('SELECT count(*) AS n FROM apiban_addresses');
  const page = db.prepare(
    `SELECT ip, first_seen AS firstSeen, last_seen AS lastSeen FROM apiban_addresses
     WHERE (? = '' OR ip LIKE ? ESCAPE '\\') ORDER BY last_seen DESC, ip LIMIT ? OFFSET ?`,
  );
  const matching = db.prepare(`SELECT count(*) AS n FROM apiban_addresses WHERE (? = '' OR ip LIKE ? ESCAPE '\\')`);
  const allIps = db.prepare('SELECT ip FROM apiban_addresses ORDER BY ip');
  const applied = db.prepare('SELECT server_id AS serverId, method, entries, ok, message, applied_at AS appliedAt FROM apiban_applied');
  const recordApplied = db.prepare(
    `INSERT INTO apiban_applied (server_id, method, entries, ok, message, applied_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(server_id) DO UPDATE SET method = excluded.method, entries = excluded.entries, ok = excluded.ok,
       message = excluded.message, applied_at = excluded.applied_at`,
  );

  const schedule = createApibanScheduleRepo(db);

  return {
    ...schedule,
    state(): ApibanState {
      const r = state.get() as StateRow;
      return {
        baseUrl: r.base_url,
        nextId: r.next_id,
        lastSyncAt: r.last_sync_at,
        lastOutcome: r.last_outcome,
        lastMessage: r.last_message,
      };
    },
    setBaseUrl(url: string): void {
      setBase.run(url);
    },
    setNextId(id: string): void {
      setNext.run(id);
    },
    setOutcome(at: number, outcome: string, message: string): void {
      setOutcome.run(at, outcome, message);
    },
    /**
     * One page, atomically with the ID that follows it: a crash between the two can neither lose
     * the page nor fetch it twice. Returns how many addresses were new.
     */
    savePage(ips: readonly string[], seenAt: number, nextId: string): number {
      return db.transaction(() => {
        let added = 0;
        for (const ip of ips) {
          if (exists.get(ip) === undefined) added++;
          upsert.run(ip, seenAt, seenAt);
        }
        setNext.run(nextId);
        if (added > 0) schedule.markListChanged(seenAt);
        return added;
      })();
    },
    get(ip: string): ApibanAddress | null {
      return (one.get(ip) as ApibanAddress | undefined) ?? null;
    },
    /** Drops addresses last seen before `cutoff`; `at` (now) is when the list changed, if it did. */
    expireSeenBefore(cutoff: number, at = cutoff): number {
      // A snapshot (opened read-only) is history: its list is shown as it was, nothing expires.
      if (db.readonly) return 0;
      const removed = expire.run(cutoff).changes;
      if (removed > 0) schedule.markListChanged(at);
      return removed;
    },
    count(): number {
      return (count.get() as { n: number }).n;
    },
    /** Newest first; `search` matches a prefix of the address. */
    page(search: string, limit: number, offset: number): { total: number; rows: ApibanAddress[] } {
      const like = `${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return {
        total: (matching.get(search, like) as { n: number }).n,
        rows: page.all(search, like, limit, offset) as ApibanAddress[],
      };
    },
    allIps(): string[] {
      return (allIps.all() as { ip: string }[]).map((r) => r.ip);
    },
    applied(): ApibanApplied[] {
      return (applied.all() as (Omit<ApibanApplied, 'ok'> & { ok: number })[]).map((r) => ({ ...r, ok: r.ok === 1 }));
    },
    recordApplied(entry: ApibanApplied): void {
      recordApplied.run(entry.serverId, entry.method, entry.entries, entry.ok ? 1 : 0, entry.message, entry.appliedAt);
    },
  };
}

export type ApibanRepo = ReturnType<typeof createApibanRepo>;
