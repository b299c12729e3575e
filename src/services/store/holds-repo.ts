// What holds a server's notifications: silences set by hand (a server, cluster, zone or the whole
// fleet, until a time) and the maintenance the console's own actions set (from the start of a
// run to its end plus a grace period).
import type { ScopeLevel } from '../../contract/alerts';
import { scopeColumns } from './alert-rules-repo';
import type { Db } from './database';

export interface StoredSilence {
  id: number;
  level: ScopeLevel;
  scopeId: string | null;
  scopeLabel: string;
  startsAt: number;
  endsAt: number;
  endedAt: number | null;
  endedBy: string | null;
  reason: string;
  createdBy: string;
}

export interface StoredMaintenance {
  id: number;
  serverId: string;
  alias: string;
  runId: string | null;
  reason: string;
  startsAt: number;
  endsAt: number | null;
  graceMs: number;
  createdBy: string;
}

interface SilenceRow {
  id: number;
  scope_level: ScopeLevel;
  zone_id: string | null;
  cluster_id: string | null;
  server_id: string | null;
  scope_label: string;
  starts_at: number;
  ends_at: number;
  ended_at: number | null;
  ended_by: string | null;
  reason: string;
  created_by: string;
}

interface MaintenanceRow {
  id: number;
  server_id: string;
  alias: string;
  run_id: string | null;
  reason: string;
  starts_at: number;
  ends_at: number | null;
  grace_ms: number;
  created_by: string;
}

const silenceOf = (r: SilenceRow): StoredSilence => ({
  id: r.id,
  level: r.scope_level,
  scopeId: r.zone_id ?? r.cluster_id ?? r.server_id,
  scopeLabel: r.scope_label,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  endedAt: r.ended_at,
  endedBy: r.ended_by,
  reason: r.reason,
  createdBy: r.created_by,
});

const maintenanceOf = (r: MaintenanceRow): StoredMaintenance => ({
  id: r.id,
  serverId: r.server_id,
  alias: r.alias,
  runId: r.run_id,
  reason: r.reason,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  graceMs: r.grace_ms,
  createdBy: r.created_by,
});

export function isSilenceActive(s: StoredSilence, now: number): boolean {
  return s.endedAt === null && s.startsAt <= now && now < s.endsAt;
}

export function isMaintenanceActive(m: StoredMaintenance, now: number): boolean {
  return m.startsAt <= now && (m.endsAt === null || now < m.endsAt);
}

export function createHoldsRepo(db: Db) {
  const insertSilence =
    db.prepare(`INSERT INTO silences (scope_level, zone_id, cluster_id, server_id, scope_label, starts_at, ends_at, reason, created_by)
    VALUES (@level, @zone_id, @cluster_id, @server_id, @label, @startsAt, @endsAt, @reason, @createdBy)`);
  const silence = db.prepare('SELECT * FROM silences WHERE id = ?');
  const activeSilences = db.prepare('SELECT * FROM silences WHERE ended_at IS NULL AND starts_at <= ? AND ends_at > ? ORDER BY ends_at');
  const allSilences = db.prepare('SELECT * FROM silences ORDER BY starts_at DESC, id DESC LIMIT ?');
  const endSilence = db.prepare('UPDATE silences SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL');
  const insertMaintenance = db.prepare(`INSERT INTO maintenance (server_id, alias, run_id, reason, starts_at, ends_at, grace_ms, created_by)
    VALUES (@serverId, @alias, @runId, @reason, @startsAt, NULL, @graceMs, @createdBy)`);
  const endRun = db.prepare('UPDATE maintenance SET ends_at = ? + grace_ms WHERE run_id = ? AND ends_at IS NULL');
  const endRunServer = db.prepare('UPDATE maintenance SET ends_at = ? + grace_ms WHERE run_id = ? AND server_id = ? AND ends_at IS NULL');
  const endOpen = db.prepare('UPDATE maintenance SET ends_at = ? + grace_ms WHERE ends_at IS NULL');
  const activeMaintenance = db.prepare(
    'SELECT * FROM maintenance WHERE starts_at <= ? AND (ends_at IS NULL OR ends_at > ?) ORDER BY starts_at',
  );
  const allMaintenance = db.prepare('SELECT * FROM maintenance ORDER BY starts_at DESC, id DESC LIMIT ?');
  const pruneSilences = db.prepare('DELETE FROM silences WHERE coalesce(ended_at, ends_at) < ?');
  const pruneMaintenance = db.prepare('DELETE FROM maintenance WHERE ends_at IS NOT NULL AND ends_at < ?');

  return {
    addSilence(s: Omit<StoredSilence, 'id' | 'endedAt' | 'endedBy'>): StoredSilence {
      const id = Number(insertSilence.run({ ...s, ...scopeColumns(s.level, s.scopeId), label: s.scopeLabel }).lastInsertRowid);
      return { ...s, id, endedAt: null, endedBy: null };
    },
    silence(id: number): StoredSilence | null {
      const row = silence.get(id) as SilenceRow | undefined;
      return row ? silenceOf(row) : null;
    },
    activeSilences: (now: number): StoredSilence[] => (activeSilences.all(now, now) as SilenceRow[]).map(silenceOf),
    silences: (limit = 500): StoredSilence[] => (allSilences.all(limit) as SilenceRow[]).map(silenceOf),
    /** Ends a silence early; false when it had already ended. */
    endSilence: (id: number, at: number, by: string): boolean => endSilence.run(at, by, id).changes > 0,
    startMaintenance(m: Omit<StoredMaintenance, 'id' | 'endsAt'>): number {
      return Number(insertMaintenance.run(m).lastInsertRowid);
    },
    /** The run ended: each of its servers stays in maintenance for its grace period from now. */
    endRunMaintenance(runId: string, at: number, serverId?: string): number {
      return (serverId === undefined ? endRun.run(at, runId) : endRunServer.run(at, runId, serverId)).changes;
    },
    /** Maintenance left open by a host that stopped mid-run ends with its grace from now. */
    endOpenMaintenance: (at: number): number => endOpen.run(at).changes,
    activeMaintenance: (now: number): StoredMaintenance[] => (activeMaintenance.all(now, now) as MaintenanceRow[]).map(maintenanceOf),
    maintenance: (limit = 500): StoredMaintenance[] => (allMaintenance.all(limit) as MaintenanceRow[]).map(maintenanceOf),
    prune(cutoff: number): number {
      return pruneSilences.run(cutoff).changes + pruneMaintenance.run(cutoff).changes;
    },
  };
}

export type HoldsRepo = ReturnType<typeof createHoldsRepo>;
