// A rule override as the rule editor holds it: one text per value the kind uses, empty meaning
// "inherit". Converting to the contract's override checks only what the browser can see (a
// number typed as text); the host checks the rest and names the field it refused.
import type { AlertRule, AlertRuleKind, ProbeSelector, RuleField, RuleOverride, ScopeLevel } from '../../../contract/alerts';
import { RuleIndex, type RuleRow, type ServerScope } from '../../../domain/alerts/resolve';
import { fieldLabel, fieldsOf, RULE_KINDS } from '../../../domain/alerts/rule-kinds';
import { SEVERITY_LOOK } from './words';

export type RuleDraft = Partial<Record<RuleField, string>>;

export const PROBE_LABEL: Readonly<Record<ProbeSelector, string>> = { sip: 'SIP', icmp: 'ICMP', tcp: 'TCP connect', any: 'Any probe' };

const NUMERIC: ReadonlySet<RuleField> = new Set(['raiseAfter', 'window', 'clearAfter', 'threshold', 'renotifyMin']);

/** "Threshold (ms)": the label with the kind's unit where the value has one. */
export function labelOf(kind: AlertRuleKind, field: RuleField): string {
  const unit = RULE_KINDS[kind].thresholdUnit;
  return field === 'threshold' && unit ? `${fieldLabel(field)} (${unit})` : fieldLabel(field);
}

/** A value as the editor shows it: "250 ms", "On", "Critical", "never". */
export function formatRuleValue(kind: AlertRuleKind, field: RuleField, value: RuleOverride[RuleField]): string {
  if (value === undefined) return '';
  switch (field) {
    case 'enabled':
      return value ? 'On' : 'Off';
    case 'severity':
      return SEVERITY_LOOK[value as keyof typeof SEVERITY_LOOK].label;
    case 'probe':
      return PROBE_LABEL[value as ProbeSelector];
    case 'threshold': {
      const unit = RULE_KINDS[kind].thresholdUnit;
      return unit ? `${value} ${unit}` : String(value);
    }
    case 'renotifyMin':
      return value === 0 ? 'never' : `${value} min`;
    default:
      return String(value);
  }
}

export function draftOf(kind: AlertRuleKind, params: RuleOverride): RuleDraft {
  const draft: RuleDraft = {};
  for (const field of fieldsOf(kind)) {
    const value = params[field];
    draft[field] = value === undefined ? '' : field === 'enabled' ? (value ? 'on' : 'off') : String(value);
  }
  return draft;
}

export interface DraftIssue {
  field: string;
  message: string;
}

/** The override to send, or the values that are not numbers at all (said in plain words). */
export function paramsOf(kind: AlertRuleKind, draft: RuleDraft): { params: RuleOverride; issues: DraftIssue[] } {
  const params: Record<string, unknown> = {};
  const issues: DraftIssue[] = [];
  for (const field of fieldsOf(kind)) {
    const text = (draft[field] ?? '').trim();
    if (text === '') continue;
    if (field === 'enabled') params[field] = text === 'on';
    else if (NUMERIC.has(field)) {
      const n = Number(text);
      if (!Number.isFinite(n)) issues.push({ field: `params.${field}`, message: `${labelOf(kind, field)}: "${text}" is not a number.` });
      else params[field] = n;
    } else params[field] = text;
  }
  return { params: params as RuleOverride, issues };
}

export function rowsOf(rules: readonly AlertRule[]): RuleRow[] {
  return rules.map((r) => ({ kind: r.kind, level: r.scope.level, scopeId: r.scope.id, params: r.params }));
}

/**
 * What a scope would get for a kind without its own rule: the defaults for the fleet; the
 * fleet's values for a zone or cluster (their servers may differ below); for a server, the
 * fleet, its zone and its cluster.
 */
export function inheritedFor(
  kind: AlertRuleKind,
  level: ScopeLevel,
  scopeId: string | null,
  rules: readonly AlertRule[],
  server: ServerScope | null,
) {
  const others = rowsOf(rules).filter((r) => !(r.kind === kind && r.level === level && r.scopeId === scopeId));
  const index = new RuleIndex(level === 'fleet' ? [] : others);
  return index.effective(kind, level === 'server' ? server : null);
}
