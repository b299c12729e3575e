import type { Db } from './database';

// The audit log's table (migration 019). Text is clamped to the column limits here, never
// refused: a line about who did what must not fail the action it describes.

export interface AuditRecord {
  id: number;
  at: number;
  kind: string;
  account: string;
  address: string | null;
  detail: string;
}

export interface AuditSearch {
  since?: number | undefined;
  until?: number | undefined;
  kind?: string | undefined;
  account?: string | undefined;
  limit: number;
}

/** The column limits of migration 019. */
export const AUDIT_LIMITS = { kind: 40, account: 200, address: 100, detail: 2000 } as const;

const clamp = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export function createAuditRepo(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (at, kind, account, address, detail) VALUES (?, ?, ?, ?, ?)');
  const pruneOlder = db.prepare('DELETE FROM audit_log WHERE at < ?');
  // The newest `keep` lines stay: everything at or below the id of the first line past them goes.
  const pruneBeyond = db.prepare('DELETE FROM audit_log WHERE id <= (SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET ?)');

  return {
    add(entry: Omit<AuditRecord, 'id'>): number {
      const result = insert.run(
        entry.at,
        clamp(entry.kind, AUDIT_LIMITS.kind),
        clamp(entry.account === '' ? '(none)' : entry.account, AUDIT_LIMITS.account),
        entry.address === null ? null : clamp(entry.address, AUDIT_LIMITS.address),
        clamp(entry.detail, AUDIT_LIMITS.detail),
      );
      return Number(result.lastInsertRowid);
    },
    /** Newest first; `total` counts every line the filter matches, beyond `limit` too. */
    search(filter: AuditSearch): { entries: AuditRecord[]; total: number } {
      const where: string[] = [];
      const args: Record<string, string | number> = {};
      if (filter.since !== undefined) {
        where.push('at >= @since');
        args['since'] = filter.since;
      }
      if (filter.until !== undefined) {
        where.push('at <= @until');
        args['until'] = filter.until;
      }
      if (filter.kind !== undefined && filter.kind !== '') {
        where.push('kind = @kind');
        args['kind'] = filter.kind;
      }
      if (filter.account !== undefined && filter.account !== '') {
        // Account names are matched as typed, whatever the case (ana = Ana).
        where.push('account = @account COLLATE NOCASE');
        args['account'] = filter.account;
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT count(*) AS n FROM audit_log ${clause}`).get(args) as { n: number }).n;
      const entries = db
        .prepare(`SELECT id, at, kind, account, address, detail FROM audit_log ${clause} ORDER BY at DESC, id DESC LIMIT @limit`)
        .all({ ...args, limit: filter.limit }) as AuditRecord[];
      return { entries, total };
    },
    /** The kinds present, for the screen's filter. */
    kinds(): string[] {
      return (db.prepare('SELECT DISTINCT kind FROM audit_log ORDER BY kind').all() as { kind: string }[]).map((r) => r.kind);
    },
    /** Drops lines older than `before` and all but the newest `keep`; returns how many went. */
    prune(before: number, keep: number): number {
      return db.transaction(() => pruneOlder.run(before).changes + pruneBeyond.run(keep).changes)();
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
