// Alert rules: one row per kind and scope, holding only the values that scope overrides.
import type { AlertRuleKind, RuleOverride, ScopeLevel } from '../../contract/alerts';
import type { Db } from './database';

export interface StoredRule {
  id: number;
  kind: AlertRuleKind;
  level: ScopeLevel;
  scopeId: string | null;
  params: RuleOverride;
  updatedAt: number;
  updatedBy: string;
}

interface Row {
  id: number;
  kind: AlertRuleKind;
  scope_level: ScopeLevel;
  zone_id: string | null;
  cluster_id: string | null;
  server_id: string | null;
  params: string;
  updated_at: number;
  updated_by: string;
}

const fromRow = (r: Row): StoredRule => ({
  id: r.id,
  kind: r.kind,
  level: r.scope_level,
  scopeId: r.zone_id ?? r.cluster_id ?? r.server_id,
  params: JSON.parse(r.params) as RuleOverride,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** The scope's id in the column of its level, the others null. */
export function scopeColumns(
  level: ScopeLevel,
  id: string | null,
): { zone_id: string | null; cluster_id: string | null; server_id: string | null } {
  return { zone_id: level === 'zone' ? id : null, cluster_id: level === 'cluster' ? id : null, server_id: level === 'server' ? id : null };
}

export function createAlertRulesRepo(db: Db) {
  const all = db.prepare('SELECT * FROM alert_rules ORDER BY kind, id');
  const one = db.prepare('SELECT * FROM alert_rules WHERE id = ?');
  const find = db.prepare(
    "SELECT * FROM alert_rules WHERE kind = ? AND scope_level = ? AND coalesce(zone_id, cluster_id, server_id, '') = ?",
  );
  const upsert = db.prepare(`INSERT INTO alert_rules (kind, scope_level, zone_id, cluster_id, server_id, params, updated_at, updated_by)
    VALUES (@kind, @level, @zone_id, @cluster_id, @server_id, @params, @at, @by)
    ON CONFLICT (kind, scope_level, coalesce(zone_id, cluster_id, server_id, '')) DO UPDATE SET params = excluded.params, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
  const remove = db.prepare('DELETE FROM alert_rules WHERE id = ?');
  return {
    list: (): StoredRule[] => (all.all() as Row[]).map(fromRow),
    get: (id: number): StoredRule | null => {
      const row = one.get(id) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    find(kind: AlertRuleKind, level: ScopeLevel, scopeId: string | null): StoredRule | null {
      const row = find.get(kind, level, scopeId ?? '') as Row | undefined;
      return row ? fromRow(row) : null;
    },
    /** Inserts or replaces the override of one kind at one scope; returns the stored row. */
    set(kind: AlertRuleKind, level: ScopeLevel, scopeId: string | null, params: RuleOverride, at: number, by: string): StoredRule {
      upsert.run({ kind, level, ...scopeColumns(level, scopeId), params: JSON.stringify(params), at, by });
      return this.find(kind, level, scopeId) as StoredRule;
    },
    delete: (id: number): boolean => remove.run(id).changes > 0,
  };
}

export type AlertRulesRepo = ReturnType<typeof createAlertRulesRepo>;
