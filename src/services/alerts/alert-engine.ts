// Evaluates the alert rules as the host works: every probe sample (constant work per sample, on
// the probes' own path), every load poll, and once a minute the rules that are not about samples
// (certificates, pending updates, APIBAN). Raises and clears go through the AlertBook in one
// transaction per tick, with the notices that the notifier groups into deliveries.
import type { AlertRuleKind, EffectiveRule, RuleParams } from '../../contract/alerts';
import { BAD, classify, IGNORED, probeMatches, selectorOf } from '../../domain/alerts/classify';
import { Hysteresis } from '../../domain/alerts/hysteresis';
import { RuleIndex, ruleSourceText } from '../../domain/alerts/resolve';
import { raiseCountOf, RULE_KIND_NAMES, RULE_KINDS, windowOf } from '../../domain/alerts/rule-kinds';
import { clearNote, loadPollFigures, sampleRuleFigures } from '../../domain/alerts/summary';
import type { Sample } from '../../domain/monitoring/sample';
import type { StoredAlert } from '../store/alerts-repo';
import type { Store } from '../store/store';
import { AlertBook, type Raise, type Subject } from './alert-book';
import { serverSubject, type SampleRule, type ServerEval, type ServerInfo } from './server-eval';
import { HoldIndex } from './holds';
import { checkPeriodicRules } from './periodic-rules';

export interface AlertEngineDeps {
  store: Store;
  clock: () => number;
  /** Whether an APIBAN key is set: its sync alert means nothing without one. */
  apibanKeySet: () => boolean;
  flap?: { windowMs: number; starts: number };
}

type Change =
  | { type: 'raise'; raise: Raise }
  | { type: 'clear'; kind: AlertRuleKind | 'channel-failing'; subjectType: Subject['type']; id: string | null; note: string; at: number };

function shapeOf(kind: AlertRuleKind, p: RuleParams): string {
  return `${windowOf(kind, p)}|${raiseCountOf(kind, p)}|${p.clearAfter}|${selectorOf(kind, p)}|${p.threshold}|${p.sipClass}`;
}

export class AlertEngine {
  readonly holds: HoldIndex;
  readonly book: AlertBook;
  readonly #d: AlertEngineDeps;
  readonly #servers = new Map<string, ServerEval>();
  #index = new RuleIndex([]);
  #changes: Change[] = [];
  #running = false;

  constructor(deps: AlertEngineDeps) {
    this.#d = deps;
    this.holds = new HoldIndex(deps.store, (id) => this.#servers.get(id)?.info ?? null);
    this.book = new AlertBook(deps.store, this.holds, deps.flap);
  }

  get running(): boolean {
    return this.#running;
  }

  get index(): RuleIndex {
    return this.#index;
  }

  servers(): ReadonlyMap<string, ServerEval> {
    return this.#servers;
  }

  start(): void {
    if (this.#running) return;
    this.rebuild();
    this.book.load((alert) => this.#renotifyOf(alert));
    // Rings start empty after a restart; an alert stored as open keeps its ring "raised".
    for (const alert of this.book.openAlerts()) this.#markActive(alert);
    this.#running = true;
    const now = this.#d.clock();
    this.holds.refresh(now);
    this.tick(now, true);
  }

  /** Writes what is pending and forgets the in-memory state (a snapshot is shown, or the host closes). */
  stop(): void {
    if (!this.#running) return;
    this.tick(this.#d.clock());
    this.#running = false;
    this.#servers.clear();
    this.book.reset();
  }

  /** Re-reads the fleet and the rules: new servers get rules, changed rules apply from now on. */
  rebuild(): void {
    const { store } = this.#d;
    const now = this.#d.clock();
    this.#index = new RuleIndex(
      store.alertRules.list().map((r) => ({ kind: r.kind, level: r.level, scopeId: r.scopeId, params: r.params })),
    );
    const zones = new Map(store.zones.list().map((z) => [z.id, z.name]));
    const clusters = new Map(store.clusters.list().map((c) => [c.id, c.name]));
    const seen = new Set<string>();
    for (const server of store.servers.list()) {
      seen.add(server.id);
      const info: ServerInfo = {
        id: server.id,
        alias: server.alias,
        ip: server.ip,
        zoneId: server.zoneId,
        zoneName: zones.get(server.zoneId) ?? server.zoneId,
        clusterId: server.clusterId,
        clusterName: server.clusterId === null ? null : (clusters.get(server.clusterId) ?? server.clusterId),
        paused: server.adminState === 'stopped' || (server.expiresAt !== null && now >= server.expiresAt),
        updatePending: server.updatePending,
      };
      this.#servers.set(server.id, this.#evaluate(info, this.#servers.get(server.id)));
    }
    for (const id of [...this.#servers.keys()]) if (!seen.has(id)) this.#servers.delete(id);
    if (this.#running) this.#retire(seen, now);
  }

  /** One probe sample: constant work for each enabled sample rule of its server. */
  observe(sample: Sample): void {
    const ev = this.#servers.get(sample.serverId);
    if (ev === undefined) return;
    for (const rule of ev.sampleRules) {
      if (!probeMatches(rule.selector, sample.kind)) continue;
      const verdict = classify(rule.kind, rule.params, sample);
      if (verdict === IGNORED) continue;
      rule.last = sample;
      const transition = rule.hyst.observe(verdict === BAD);
      if (transition === null) continue;
      if (transition === 'raise') {
        const figures = sampleRuleFigures(rule.kind, rule.params, { bad: rule.hyst.badCount, seen: rule.hyst.seen, last: rule.last });
        this.#changes.push({
          type: 'raise',
          raise: {
            subject: serverSubject(rule.kind, ev.info),
            severity: rule.params.severity,
            ...figures,
            ruleSource: rule.source,
            renotifyMin: rule.params.renotifyMin,
            at: sample.at,
          },
        });
      } else {
        this.#changes.push({
          type: 'clear',
          kind: rule.kind,
          subjectType: 'server',
          id: ev.info.id,
          note: clearNote(rule.kind, rule.hyst.goodStreak),
          at: sample.at,
        });
      }
    }
  }

  /** A load poll over SSH ended (the load poller reports each one). */
  pollResult(serverId: string, ok: boolean, error: string | null, at: number): void {
    const ev = this.#servers.get(serverId);
    if (ev?.loadPoll == null) return;
    if (!ok) ev.loadPoll.error = error ?? 'unknown error';
    const transition = ev.loadPoll.hyst.observe(!ok);
    const rule = ev.rules.get('load-poll');
    if (transition === 'raise' && rule) {
      const figures = loadPollFigures(ev.loadPoll.hyst.badCount, ev.loadPoll.error);
      this.#changes.push({
        type: 'raise',
        raise: {
          subject: serverSubject('load-poll', ev.info),
          severity: rule.params.severity,
          ...figures,
          ruleSource: ruleSourceText(rule),
          renotifyMin: rule.params.renotifyMin,
          at,
        },
      });
    } else if (transition === 'clear') {
      this.#changes.push({
        type: 'clear',
        kind: 'load-poll',
        subjectType: 'server',
        id: serverId,
        note: clearNote('load-poll', ev.loadPoll.hyst.goodStreak),
        at,
      });
    }
  }

  /** A delivery channel started or stopped failing (the delivery worker reports it). */
  channelHealth(channel: { id: number; name: string }, failing: boolean, message: string, at: number): void {
    const id = String(channel.id);
    if (failing) {
      const subject: Subject = { kind: 'channel-failing', type: 'channel', id, label: `Channel ${channel.name}`, server: null };
      this.#changes.push({
        type: 'raise',
        raise: {
          subject,
          severity: 'warning',
          summary: `Deliveries to "${channel.name}" keep failing: ${message}`,
          value: null,
          threshold: null,
          ruleSource: 'Switchyard',
          renotifyMin: 0,
          at,
        },
      });
    } else {
      this.#changes.push({ type: 'clear', kind: 'channel-failing', subjectType: 'channel', id, note: `Delivered again: ${message}`, at });
    }
  }

  /** The rules that are not about samples; the host calls it once a minute. */
  checkPeriodic(now: number): void {
    if (!this.#running) return;
    this.#d.store.transaction(() =>
      checkPeriodicRules(
        { store: this.#d.store, book: this.book, servers: this.#servers, index: this.#index, apibanKeySet: this.#d.apibanKeySet },
        now,
      ),
    );
  }

  /**
   * Applies the raises and clears seen since the last tick, tells whoever must be told, all in one
   * transaction. Returns true when alerts or holds changed (for the UI).
   */
  tick(now: number, force = false): boolean {
    if (!this.#running && !force) return false;
    const holdsChanged = this.holds.refresh(now);
    const changes = this.#changes;
    this.#changes = [];
    this.#d.store.transaction(() => {
      for (const change of changes) {
        if (change.type === 'raise') this.book.raise(change.raise);
        else this.book.clear(change.kind, change.subjectType, change.id, change.note, change.at);
      }
      this.book.notifyDue(now);
    });
    return this.book.takeChanged() || holdsChanged;
  }

  #evaluate(info: ServerInfo, before: ServerEval | undefined): ServerEval {
    const rules = new Map<AlertRuleKind, EffectiveRule>();
    const sampleRules: SampleRule[] = [];
    let loadPoll: ServerEval['loadPoll'] = null;
    for (const kind of RULE_KIND_NAMES) {
      const rule = this.#index.effective(kind, info);
      rules.set(kind, rule);
      const p = rule.params;
      if (!p.enabled) continue;
      const open = this.book.isOpen(kind, 'server', info.id);
      if (kind === 'load-poll') {
        const shape = shapeOf(kind, p);
        loadPoll =
          before?.loadPoll?.shape === shape
            ? before.loadPoll
            : { hyst: new Hysteresis(p.raiseAfter, p.raiseAfter, p.clearAfter, open), shape, error: '' };
      }
      if (!RULE_KINDS[kind].perSample || info.paused) continue;
      const shape = shapeOf(kind, p);
      const kept = before?.sampleRules.find((r) => r.kind === kind && r.shape === shape);
      sampleRules.push({
        kind,
        params: p,
        selector: selectorOf(kind, p),
        source: ruleSourceText(rule),
        hyst: kept?.hyst ?? new Hysteresis(windowOf(kind, p), raiseCountOf(kind, p), p.clearAfter, open),
        shape,
        last: kept?.last ?? null,
      });
      this.book.setRenotify(kind, 'server', info.id, p.renotifyMin);
    }
    return { info, rules, sampleRules, loadPoll };
  }

  /** Open alerts whose server, rule or probes are gone are resolved, saying why. */
  #retire(present: ReadonlySet<string>, now: number): void {
    this.#d.store.transaction(() => {
      for (const alert of this.book.openAlerts()) {
        if (alert.subjectType !== 'server' || alert.subjectId === null || alert.kind === 'channel-failing') continue;
        const kind = alert.kind;
        const ev = this.#servers.get(alert.subjectId);
        let note: string | null = null;
        if (!present.has(alert.subjectId) || !ev) note = 'The server was deleted.';
        else if (!ev.rules.get(kind)?.params.enabled) note = 'The rule was disabled.';
        else if (ev.info.paused && RULE_KINDS[kind].perSample) note = 'Probes paused: the server is stopped or its test period ended.';
        if (note !== null) this.book.clear(kind, 'server', alert.subjectId, note, now, true);
      }
    });
  }

  #renotifyOf(alert: StoredAlert): number {
    if (alert.kind === 'channel-failing') return 0;
    const rule =
      alert.subjectType === 'server' && alert.subjectId !== null
        ? this.#servers.get(alert.subjectId)?.rules.get(alert.kind)
        : this.#index.effective(alert.kind, null);
    return rule?.params.renotifyMin ?? 0;
  }

  #markActive(alert: StoredAlert): void {
    if (alert.subjectType !== 'server' || alert.subjectId === null) return;
    const ev = this.#servers.get(alert.subjectId);
    if (!ev) return;
    for (const rule of ev.sampleRules) if (rule.kind === alert.kind) rule.hyst.setActive(true);
    if (alert.kind === 'load-poll' && ev.loadPoll) ev.loadPoll.hyst.setActive(true);
  }
}
