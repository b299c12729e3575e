// The open alerts and their life: raised, acknowledged, resolved; flapping detected from how often
// the same alert started lately; who must be told and when (first notice once nothing holds the
// server, reminders while firing and not acknowledged). Every change is written to SQLite in the
// caller's transaction together with the notices the delivery side groups and sends.
import type { AlertKind, AlertRuleKind, Severity } from '../../contract/alerts';
import { noticeItem } from './notice-item';
import type { HoldIndex } from './holds';
import type { StoredAlert } from '../store/alerts-repo';
import type { Store } from '../store/store';

export const FLAP_WINDOW_MS = 15 * 60_000;
/** The third start within the window is flapping. */
export const FLAP_STARTS = 3;

export interface Subject {
  kind: AlertKind;
  type: StoredAlert['subjectType'];
  id: string | null;
  label: string;
  server: { id: string; ip: string; zoneId: string; zoneName: string; clusterId: string | null; clusterName: string | null } | null;
}

export interface Raise {
  subject: Subject;
  severity: Severity;
  summary: string;
  value: number | null;
  threshold: number | null;
  ruleSource: string;
  renotifyMin: number;
  at: number;
}

interface OpenAlert {
  alert: StoredAlert;
  /** Flapping: since when it has been good (resolved once good for the whole window). */
  goodSince: number | null;
  renotifyMin: number;
}

export function subjectKey(kind: AlertKind, type: string, id: string | null): string {
  return `${kind}\u0000${type}\u0000${id ?? ''}`;
}

export class AlertBook {
  readonly #open = new Map<string, OpenAlert>();
  #changed = false;

  constructor(
    private readonly store: Pick<Store, 'alerts'>,
    private readonly holds: HoldIndex,
    private readonly flap: { windowMs: number; starts: number } = { windowMs: FLAP_WINDOW_MS, starts: FLAP_STARTS },
  ) {}

  /** Takes the open alerts stored before a restart; `renotifyOf` gives each its rule's reminder interval. */
  load(renotifyOf: (alert: StoredAlert) => number): void {
    this.#open.clear();
    for (const alert of this.store.alerts.open()) {
      this.#open.set(subjectKey(alert.kind, alert.subjectType, alert.subjectId), {
        alert,
        goodSince: null,
        renotifyMin: renotifyOf(alert),
      });
    }
  }

  /** Forgets everything in memory (the host stops: a snapshot is shown). */
  reset(): void {
    this.#open.clear();
  }

  isOpen(kind: AlertKind, type: string, id: string | null): boolean {
    return this.#open.has(subjectKey(kind, type, id));
  }

  get(kind: AlertKind, type: string, id: string | null): StoredAlert | null {
    return this.#open.get(subjectKey(kind, type, id))?.alert ?? null;
  }

  openAlerts(): StoredAlert[] {
    return [...this.#open.values()].map((o) => o.alert);
  }

  /** True once after anything changed (for the UI's push). */
  takeChanged(): boolean {
    const changed = this.#changed;
    this.#changed = false;
    return changed;
  }

  /** Raises an alert, or (flapping) keeps the open one open. Call inside a transaction. */
  raise(r: Raise): void {
    const key = subjectKey(r.subject.kind, r.subject.type, r.subject.id);
    const open = this.#open.get(key);
    if (open) {
      // Bad again before a flapping alert was steady: it stays open, one notice in all.
      open.goodSince = null;
      open.alert = { ...open.alert, summary: r.summary, value: r.value, threshold: r.threshold, updatedAt: r.at };
      this.store.alerts.update(open.alert);
      this.#changed = true;
      return;
    }
    const recent = this.store.alerts.startsSince(r.subject.kind, r.subject.type, r.subject.id, r.at - this.flap.windowMs);
    const s = r.subject.server;
    const alert = this.store.alerts.insert({
      kind: r.subject.kind,
      subjectType: r.subject.type,
      subjectId: r.subject.id,
      subjectLabel: r.subject.label,
      serverId: s?.id ?? null,
      ip: s?.ip ?? null,
      zoneId: s?.zoneId ?? null,
      zoneName: s?.zoneName ?? null,
      clusterId: s?.clusterId ?? null,
      clusterName: s?.clusterName ?? null,
      severity: r.severity,
      state: 'firing',
      flapping: recent >= this.flap.starts - 1,
      summary: r.summary,
      value: r.value,
      threshold: r.threshold,
      ruleSource: r.ruleSource,
      startedAt: r.at,
      updatedAt: r.at,
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackNote: null,
      resolvedAt: null,
      resolveNote: null,
      notifiedAt: null,
      lastNotifiedAt: null,
      notifications: 0,
    });
    this.#open.set(key, { alert, goodSince: null, renotifyMin: r.renotifyMin });
    this.#changed = true;
  }

  /** The condition is over: resolves the alert (a flapping one only once it has been steady). Call inside a transaction. */
  clear(kind: AlertKind, type: string, id: string | null, note: string, at: number, force = false): void {
    const key = subjectKey(kind, type, id);
    const open = this.#open.get(key);
    if (!open) return;
    if (open.alert.flapping && !force) {
      open.goodSince ??= at;
      return;
    }
    this.#resolve(key, open, note, at);
  }

  /** Updates the words and figures of an open alert without telling anyone (a certificate renewed for another, sooner one). */
  refresh(
    kind: AlertKind,
    type: string,
    id: string | null,
    figures: Pick<StoredAlert, 'summary' | 'value' | 'threshold'>,
    at: number,
  ): void {
    const open = this.#open.get(subjectKey(kind, type, id));
    if (!open || (open.alert.summary === figures.summary && open.alert.value === figures.value)) return;
    open.alert = { ...open.alert, ...figures, updatedAt: at };
    this.store.alerts.update(open.alert);
    this.#changed = true;
  }

  /** Sets a reminder interval after a rule changed. */
  setRenotify(kind: AlertRuleKind, type: string, id: string | null, renotifyMin: number): void {
    const open = this.#open.get(subjectKey(kind, type, id));
    if (open) open.renotifyMin = renotifyMin;
  }

  acknowledge(ids: ReadonlySet<number>, by: string, note: string, at: number): StoredAlert[] {
    const out: StoredAlert[] = [];
    for (const open of this.#open.values()) {
      if (!ids.has(open.alert.id) || open.alert.state !== 'firing') continue;
      open.alert = {
        ...open.alert,
        state: 'acknowledged',
        acknowledgedAt: at,
        acknowledgedBy: by,
        ackNote: note === '' ? null : note,
        updatedAt: at,
      };
      this.store.alerts.update(open.alert);
      if (open.alert.notifiedAt !== null) this.#notice(open, 'acknowledged', at);
      out.push(open.alert);
      this.#changed = true;
    }
    return out;
  }

  /**
   * Who must be told now: the first notice of an alert once nothing holds its server, reminders
   * while it fires unacknowledged, and flapping alerts resolved after a steady window. Call inside
   * a transaction.
   */
  notifyDue(now: number): void {
    for (const [key, open] of this.#open) {
      const a = open.alert;
      if (a.flapping && open.goodSince !== null && now - open.goodSince >= this.flap.windowMs) {
        this.#resolve(key, open, `Steady for ${Math.round(this.flap.windowMs / 60_000)} minutes: no longer flapping.`, now);
        continue;
      }
      if (this.holds.of(a.serverId) !== null) continue;
      if (a.notifiedAt === null) {
        open.alert = { ...a, notifiedAt: now, lastNotifiedAt: now, notifications: a.notifications + 1 };
        this.store.alerts.update(open.alert);
        this.#notice(open, a.flapping ? 'flapping' : 'firing', now);
        this.#changed = true;
      } else if (
        a.state === 'firing' &&
        !a.flapping &&
        open.renotifyMin > 0 &&
        now - (a.lastNotifiedAt ?? a.notifiedAt) >= open.renotifyMin * 60_000
      ) {
        open.alert = { ...a, lastNotifiedAt: now, notifications: a.notifications + 1 };
        this.store.alerts.update(open.alert);
        this.#notice(open, 'reminder', now);
        this.#changed = true;
      }
    }
  }

  #resolve(key: string, open: OpenAlert, note: string, at: number): void {
    open.alert = { ...open.alert, state: 'resolved', resolvedAt: at, resolveNote: note, updatedAt: at };
    this.store.alerts.update(open.alert);
    // Nobody was told it fired (it was held, or cleared before the first notice): nothing to take back.
    if (open.alert.notifiedAt !== null) this.#notice(open, 'resolved', at);
    this.#open.delete(key);
    this.#changed = true;
  }

  #notice(open: OpenAlert, what: Parameters<typeof noticeItem>[1], at: number): void {
    this.store.alerts.addNotice(open.alert.id, what, at, noticeItem(open.alert, what, at));
  }
}
