// The Rules tab's state: every rule row, the one being edited (a draft per value, the host's
// refusals by field), and "how it applies to server …" with each value's source.
import type { AlertRule, AlertRuleKind, EffectiveRule, ScopeLevel } from '../../../contract/alerts';
import type { ServerScope } from '../../../domain/alerts/resolve';
import { api, callError } from '../api';
import { draftOf, inheritedFor, paramsOf, type RuleDraft } from '../alerts/rule-draft';
import { FieldErrors } from '../field-errors';
import { fleet } from './fleet.svelte';

export interface RuleEdit {
  kind: AlertRuleKind;
  level: ScopeLevel;
  scopeId: string | null;
  scopeLabel: string;
  /** The row being changed; null for a new override. */
  ruleId: number | null;
  draft: RuleDraft;
}

export function serverScopeOf(serverId: string | null): ServerScope | null {
  const s = serverId === null ? undefined : fleet.serverById.get(serverId);
  if (!s) return null;
  return {
    id: s.id,
    alias: s.alias,
    zoneId: s.zoneId,
    zoneName: fleet.zoneName(s.zoneId),
    clusterId: s.clusterId,
    clusterName: s.clusterId === null ? null : fleet.clusterName(s.clusterId),
  };
}

export class RulesEditor {
  #rules = $state.raw<AlertRule[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #saving = $state(false);
  #errors = $state.raw(new FieldErrors());
  edit = $state<RuleEdit | null>(null);
  /** The server whose effective rules are shown. */
  serverId = $state<string | null>(null);
  #effective = $state.raw<EffectiveRule[] | null>(null);
  #effectiveError = $state<string | null>(null);

  get rules() {
    return this.#rules;
  }
  get loaded() {
    return this.#loaded;
  }
  get error() {
    return this.#error;
  }
  get saving() {
    return this.#saving;
  }
  get errors() {
    return this.#errors;
  }
  get effective() {
    return this.#effective;
  }
  get effectiveError() {
    return this.#effectiveError;
  }

  /** What the edited scope inherits, value by value, to show beside each empty field. */
  readonly inherited = $derived.by(() => {
    const e = this.edit;
    if (!e) return null;
    return inheritedFor(e.kind, e.level, e.scopeId, this.#rules, e.level === 'server' ? serverScopeOf(e.scopeId) : null);
  });

  rulesOf(kind: AlertRuleKind): AlertRule[] {
    const order: ScopeLevel[] = ['fleet', 'zone', 'cluster', 'server'];
    return this.#rules
      .filter((r) => r.kind === kind)
      .sort((a, b) => order.indexOf(a.scope.level) - order.indexOf(b.scope.level) || a.scopeLabel.localeCompare(b.scopeLabel));
  }

  start(): () => void {
    return api.on('alerts:changed', ({ what }) => {
      if (what.includes('rules')) void this.load();
    });
  }

  async load(): Promise<void> {
    try {
      const { rules } = await api.call('alerts:list-rules', {});
      this.#rules = rules;
      this.#error = null;
    } catch (e) {
      this.#error = callError(e).message;
    } finally {
      this.#loaded = true;
    }
    await this.loadEffective();
  }

  async loadEffective(): Promise<void> {
    const id = this.serverId;
    if (id === null) {
      this.#effective = null;
      return;
    }
    try {
      const effective = await api.call('alerts:effective-rules', { serverId: id });
      if (this.serverId === id) this.#effective = effective;
      this.#effectiveError = null;
    } catch (e) {
      this.#effectiveError = callError(e).message;
    }
  }

  startEdit(kind: AlertRuleKind, level: ScopeLevel, scopeId: string | null, scopeLabel: string): void {
    const existing = this.#rules.find((r) => r.kind === kind && r.scope.level === level && r.scope.id === scopeId) ?? null;
    this.edit = { kind, level, scopeId, scopeLabel, ruleId: existing?.id ?? null, draft: draftOf(kind, existing?.params ?? {}) };
    this.#errors = new FieldErrors();
  }

  cancel(): void {
    this.edit = null;
    this.#errors = new FieldErrors();
  }

  /** Sends the draft; on refusal every field the host named gets its message. */
  async save(): Promise<boolean> {
    const e = this.edit;
    if (!e) return false;
    const { params, issues } = paramsOf(e.kind, e.draft);
    if (issues.length > 0) {
      this.#errors = new FieldErrors({ code: 'invalid-input', message: issues[0]?.message ?? '', issues });
      return false;
    }
    this.#saving = true;
    try {
      await api.call('alerts:set-rule', { kind: e.kind, scope: { level: e.level, id: e.scopeId }, params });
      this.edit = null;
      this.#errors = new FieldErrors();
      await this.load();
      return true;
    } catch (err) {
      this.#errors = new FieldErrors(callError(err));
      return false;
    } finally {
      this.#saving = false;
    }
  }

  async remove(rule: AlertRule): Promise<string | null> {
    try {
      await api.call('alerts:delete-rule', { id: rule.id });
      if (this.edit?.ruleId === rule.id) this.cancel();
      await this.load();
      return null;
    } catch (err) {
      return callError(err).message;
    }
  }
}
