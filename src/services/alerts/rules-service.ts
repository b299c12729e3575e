// Alert rules as the rule editor and the CLI change them: a scope overrides some values of a kind,
// and a change is refused, naming the field, when it could never work (a value the kind does not
// use, a percentage over 100, N bad samples out of fewer than N) for the scope or any server in it.
import type { AlertRule, AlertRuleKind, EffectiveRule, RuleOverride, Scope } from '../../contract/alerts';
import { RuleIndex, type RuleRow, type ServerScope } from '../../domain/alerts/resolve';
import { FLEET_ONLY_KINDS, overrideIssues, paramsIssues, RULE_KIND_NAMES, RULE_KINDS } from '../../domain/alerts/rule-kinds';
import { DomainError, invalid, notFound, refuseIssues } from '../../domain/errors';
import type { StoredRule } from '../store/alert-rules-repo';
import type { Store } from '../store/store';
import { scopeLabelOf } from './scope-label';

export interface RulesServiceDeps {
  store: Store;
  clock: () => number;
  who: () => string;
  /** Rules changed: the engine re-reads them. */
  onChanged: () => void;
}

export function createRulesService(deps: RulesServiceDeps) {
  const { store } = deps;

  const scopesOfServers = (): ServerScope[] => {
    const zones = new Map(store.zones.list().map((z) => [z.id, z.name]));
    const clusters = new Map(store.clusters.list().map((c) => [c.id, c.name]));
    return store.servers.list().map((s) => ({
      id: s.id,
      alias: s.alias,
      zoneId: s.zoneId,
      zoneName: zones.get(s.zoneId) ?? s.zoneId,
      clusterId: s.clusterId,
      clusterName: s.clusterId === null ? null : (clusters.get(s.clusterId) ?? s.clusterId),
    }));
  };

  const rowsOf = (rules: readonly StoredRule[]): RuleRow[] =>
    rules.map((r) => ({ kind: r.kind, level: r.level, scopeId: r.scopeId, params: r.params }));

  const toRule = (r: StoredRule): AlertRule => {
    let label: string;
    try {
      label = scopeLabelOf(store, { level: r.level, id: r.scopeId });
    } catch {
      label = `${r.level} ${r.scopeId ?? ''}`.trim();
    }
    return {
      id: r.id,
      kind: r.kind,
      scope: { level: r.level, id: r.scopeId },
      scopeLabel: label,
      params: r.params,
      updatedAt: r.updatedAt,
      updatedBy: r.updatedBy,
    };
  };

  /** Refuses a candidate set of rules under which some server (or the fleet) would hold an impossible rule. */
  const checkCandidate = (kind: AlertRuleKind, rows: RuleRow[], scope: Scope): void => {
    const index = new RuleIndex(rows);
    const fleetIssues = paramsIssues(kind, index.effective(kind, null).params);
    if (fleetIssues.length > 0) refuseIssues(fleetIssues);
    // The scope's own values over the fleet's, whether or not a server is in it yet.
    if (scope.level !== 'fleet') {
      const own = rows.find((r) => r.kind === kind && r.level === scope.level && r.scopeId === scope.id)?.params ?? {};
      refuseIssues(paramsIssues(kind, { ...index.effective(kind, null).params, ...own }));
    }
    for (const server of scopesOfServers()) {
      const inScope =
        scope.level === 'fleet' ||
        (scope.level === 'zone' && server.zoneId === scope.id) ||
        (scope.level === 'cluster' && server.clusterId === scope.id) ||
        (scope.level === 'server' && server.id === scope.id);
      if (!inScope) continue;
      const issues = paramsIssues(kind, index.effective(kind, server).params);
      const first = issues[0];
      if (first)
        throw new DomainError(
          'invalid-input',
          `${first.message} (for server ${server.alias}, where the other values come from other rules)`,
          { field: first.field, issues },
        );
    }
  };

  return {
    list(): { rules: AlertRule[]; defaults: EffectiveRule[] } {
      const defaults = new RuleIndex([]);
      return { rules: store.alertRules.list().map(toRule), defaults: RULE_KIND_NAMES.map((k) => defaults.effective(k, null)) };
    },
    /** Every kind as it applies to one server, each value with where it comes from. */
    effective(serverId: string): EffectiveRule[] {
      const server = scopesOfServers().find((s) => s.id === serverId);
      if (!server) throw notFound('Server', serverId);
      const index = new RuleIndex(rowsOf(store.alertRules.list()));
      return RULE_KIND_NAMES.map((kind) => index.effective(kind, server));
    },
    set(kind: AlertRuleKind, scope: Scope, params: RuleOverride): AlertRule | null {
      if (FLEET_ONLY_KINDS.includes(kind) && scope.level !== 'fleet') {
        throw invalid('scope.level', `${RULE_KINDS[kind].label} is fleet-wide: set it for the whole fleet, not per ${scope.level}.`);
      }
      scopeLabelOf(store, scope);
      refuseIssues(overrideIssues(kind, params));
      const existing = store.alertRules.find(kind, scope.level, scope.id);
      const others = rowsOf(store.alertRules.list().filter((r) => r.id !== existing?.id));
      const empty = Object.keys(params).length === 0;
      checkCandidate(kind, empty ? others : [...others, { kind, level: scope.level, scopeId: scope.id, params }], scope);
      if (empty) {
        if (existing) store.alertRules.delete(existing.id);
        deps.onChanged();
        return null;
      }
      const stored = store.alertRules.set(kind, scope.level, scope.id, params, deps.clock(), deps.who());
      deps.onChanged();
      return toRule(stored);
    },
    delete(id: number): { deleted: boolean } {
      const rule = store.alertRules.get(id);
      if (!rule) throw notFound('Alert rule', String(id));
      const others = rowsOf(store.alertRules.list().filter((r) => r.id !== id));
      checkCandidate(rule.kind, others, { level: rule.level, id: rule.scopeId });
      const deleted = store.alertRules.delete(id);
      deps.onChanged();
      return { deleted };
    },
  };
}

export type RulesService = ReturnType<typeof createRulesService>;
