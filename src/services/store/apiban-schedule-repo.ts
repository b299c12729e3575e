import type { Db } from './database';

// The schedule, the servers APIBAN is applied to by itself, and the allow-list (migration 12).

export interface StoredDrops {
  at: number;
  malformed: number;
  notGlobal: number;
  fleet: number;
  allowListed: number;
  /** A few malformed entries, quoted, with the page they came from. */
  samples: string[];
}

export interface ApibanSchedule {
  enabled: boolean;
  intervalSec: number;
  /** The one `host[:port]` the key may be sent to in plain http; null: https only. */
  httpHost: string | null;
  /** When the stored list last gained or lost an address. */
  listChangedAt: number | null;
  /** What the last sync (or allow-list change) refused to keep; null before the first. */
  lastDrops: StoredDrops | null;
}

export interface ApibanTargetRow {
  serverId: string;
  method: 'ipset' | 'nftables';
  addedAt: number;
}

export interface AllowRow {
  entry: string;
  note: string;
  addedAt: number;
}

interface ScheduleRow {
  enabled: number;
  interval_sec: number;
  http_host: string | null;
  list_changed_at: number | null;
  last_drops: string;
}

function dropsOf(json: string): StoredDrops | null {
  const value = JSON.parse(json) as Partial<StoredDrops>;
  if (typeof value.at !== 'number') return null;
  return {
    at: value.at,
    malformed: value.malformed ?? 0,
    notGlobal: value.notGlobal ?? 0,
    fleet: value.fleet ?? 0,
    allowListed: value.allowListed ?? 0,
    samples: Array.isArray(value.samples) ? value.samples.filter((s): s is string => typeof s === 'string') : [],
  };
}

export function createApibanScheduleRepo(db: Db) {
  const schedule = db.prepare('SELECT enabled, interval_sec, http_host, list_changed_at, last_drops FROM apiban_schedule WHERE id = 1');
  const setEnabled = db.prepare('UPDATE apiban_schedule SET enabled = ? WHERE id = 1');
  const setInterval = db.prepare('UPDATE apiban_schedule SET interval_sec = ? WHERE id = 1');
  const setHttpHost = db.prepare('UPDATE apiban_schedule SET http_host = ? WHERE id = 1');
  const setChanged = db.prepare('UPDATE apiban_schedule SET list_changed_at = max(coalesce(list_changed_at, 0), ?) WHERE id = 1');
  const setDrops = db.prepare('UPDATE apiban_schedule SET last_drops = ? WHERE id = 1');
  const targets = db.prepare('SELECT server_id AS serverId, method, added_at AS addedAt FROM apiban_targets ORDER BY added_at, server_id');
  const clearTargets = db.prepare('DELETE FROM apiban_targets');
  const addTarget = db.prepare('INSERT INTO apiban_targets (server_id, method, added_at) VALUES (?, ?, ?)');
  const allow = db.prepare('SELECT entry, note, added_at AS addedAt FROM apiban_allow ORDER BY entry');
  const addAllow = db.prepare(
    'INSERT INTO apiban_allow (entry, note, added_at) VALUES (?, ?, ?) ON CONFLICT(entry) DO UPDATE SET note = excluded.note',
  );
  const removeAllow = db.prepare('DELETE FROM apiban_allow WHERE entry = ?');
  const removeAddress = db.prepare('DELETE FROM apiban_addresses WHERE ip = ?');

  const markChanged = (at: number): void => void setChanged.run(at);

  return {
    schedule(): ApibanSchedule {
      const r = schedule.get() as ScheduleRow;
      return {
        enabled: r.enabled === 1,
        intervalSec: r.interval_sec,
        httpHost: r.http_host,
        listChangedAt: r.list_changed_at,
        lastDrops: dropsOf(r.last_drops),
      };
    },
    setSchedule(input: { enabled?: boolean | undefined; intervalSec?: number | undefined }): void {
      db.transaction(() => {
        if (input.enabled !== undefined) setEnabled.run(input.enabled ? 1 : 0);
        if (input.intervalSec !== undefined) setInterval.run(input.intervalSec);
      })();
    },
    setHttpHost(host: string | null): void {
      setHttpHost.run(host);
    },
    markListChanged: markChanged,
    setLastDrops(drops: StoredDrops): void {
      setDrops.run(JSON.stringify(drops));
    },
    targets(): ApibanTargetRow[] {
      return targets.all() as ApibanTargetRow[];
    },
    /** Replaces the scheduled servers; ones already scheduled keep when they were added. */
    setTargets(list: readonly { serverId: string; method: 'ipset' | 'nftables' }[], at: number): void {
      db.transaction(() => {
        const before = new Map((targets.all() as ApibanTargetRow[]).map((t) => [t.serverId, t.addedAt]));
        clearTargets.run();
        for (const t of list) addTarget.run(t.serverId, t.method, before.get(t.serverId) ?? at);
      })();
    },
    allowList(): AllowRow[] {
      return allow.all() as AllowRow[];
    },
    addAllow(entry: string, note: string, at: number): void {
      addAllow.run(entry, note, at);
    },
    removeAllow(entry: string): boolean {
      return removeAllow.run(entry).changes > 0;
    },
    /** Removes these addresses from the stored list (now protected); returns how many were there. */
    removeAddresses(ips: readonly string[], at: number): number {
      return db.transaction(() => {
        let removed = 0;
        for (const ip of ips) removed += removeAddress.run(ip).changes;
        if (removed > 0) markChanged(at);
        return removed;
      })();
    },
  };
}
