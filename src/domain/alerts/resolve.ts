// The rule that applies to a server, value by value: Switchyard's default, overridden by the
// fleet's rule, then the zone's, the cluster's and the server's own — the most specific wins.
// Each value says where it came from, so the editor can show "250 ms (cluster core-us)".
import type { AlertRuleKind, EffectiveRule, RuleField, RuleOverride, RuleParams, ScopeLevel, ValueSource } from '../../contract/alerts';
import { fieldsOf, FLEET_ONLY_KINDS, RULE_KINDS } from './rule-kinds';

export interface RuleRow {
  kind: AlertRuleKind;
  level: ScopeLevel;
  /** Zone, cluster or server id; null for the fleet. */
  scopeId: string | null;
  params: RuleOverride;
}

export interface ServerScope {
  id: string;
  alias: string;
  zoneId: string;
  zoneName: string;
  clusterId: string | null;
  clusterName: string | null;
}

/** Least specific first. A cluster is more specific than a zone: it names the servers that share limits. */
export const SCOPE_ORDER: readonly ScopeLevel[] = ['fleet', 'zone', 'cluster', 'server'];

/** Rows indexed by kind, level and scope id, for resolving many servers against one set of rules. */
export class RuleIndex {
  readonly #rows = new Map<string, RuleOverride>();

  constructor(rows: readonly RuleRow[]) {
    for (const row of rows) this.#rows.set(key(row.kind, row.level, row.scopeId), row.params);
  }

  get(kind: AlertRuleKind, level: ScopeLevel, scopeId: string | null): RuleOverride | undefined {
    return this.#rows.get(key(kind, level, scopeId));
  }

  /** The rule of `kind` for a server (or the fleet-wide rule when `server` is null). */
  effective(kind: AlertRuleKind, server: ServerScope | null): EffectiveRule {
    const params: RuleParams = { ...RULE_KINDS[kind].defaults };
    const sources: Partial<Record<RuleField, ValueSource>> = {};
    const fields = fieldsOf(kind);
    for (const field of fields) sources[field] = { level: 'default', label: 'default' };
    const layers: { level: ScopeLevel; id: string | null; label: string }[] = [{ level: 'fleet', id: null, label: 'fleet' }];
    if (server !== null && !FLEET_ONLY_KINDS.includes(kind)) {
      layers.push({ level: 'zone', id: server.zoneId, label: `zone ${server.zoneName}` });
      if (server.clusterId !== null)
        layers.push({ level: 'cluster', id: server.clusterId, label: `cluster ${server.clusterName ?? server.clusterId}` });
      layers.push({ level: 'server', id: server.id, label: `server ${server.alias}` });
    }
    for (const layer of layers) {
      const override = this.get(kind, layer.level, layer.id);
      if (!override) continue;
      for (const field of fields) {
        const value = override[field];
        if (value === undefined) continue;
        (params as Record<RuleField, unknown>)[field] = value;
        sources[field] = { level: layer.level, label: layer.label };
      }
    }
    return { kind, params, sources };
  }
}

function key(kind: AlertRuleKind, level: ScopeLevel, scopeId: string | null): string {
  return `${kind}\u0000${level}\u0000${scopeId ?? ''}`;
}

/** Where the deciding values of a rule were set, in words: the most specific source among them. */
export function ruleSourceText(rule: EffectiveRule): string {
  let best: ValueSource = { level: 'default', label: 'default' };
  const rank = (s: ValueSource) => (s.level === 'default' ? -1 : SCOPE_ORDER.indexOf(s.level));
  for (const source of Object.values(rule.sources)) if (source && rank(source) > rank(best)) best = source;
  return best.level === 'default' ? 'built-in default' : best.label;
}
