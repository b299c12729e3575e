// Alerts as the console and the CLI ask for them: the list and one alert with its deliveries,
// the counts for the top bar, acknowledging, export, silences, maintenance and the holds on each
// server. Works whether or not the engine runs here (a wall display, a snapshot, a CLI command
// read what the running host wrote).
import type { Alert, AlertCounts, AlertFilter, Hold, Maintenance, Silence } from '../../contract/alerts';
import type { Delivery } from '../../contract/alerts-delivery';
import type { SilenceInput } from '../../contract/alerts-methods';
import { parseDuration, MAX_DURATION_MS } from '../../domain/alerts/duration';
import { formatAlertsCsv, formatAlertsJson } from '../../domain/alerts/export';
import { invalid, notFound } from '../../domain/errors';
import type { StoredAlert } from '../store/alerts-repo';
import { isMaintenanceActive, isSilenceActive, type StoredMaintenance, type StoredSilence } from '../store/holds-repo';
import type { StoredDelivery } from '../store/alert-deliveries-repo';
import type { Store } from '../store/store';
import type { AlertEngine } from './alert-engine';
import { HoldIndex } from './holds';
import { scopeLabelOf } from './scope-label';

export interface AlertsServiceDeps {
  store: Store;
  clock: () => number;
  engine: AlertEngine;
  /** Who acts from this console (acknowledgements, silences). */
  who: () => string;
  /** Something changed that every screen shows (alerts, holds). */
  onChanged: (what: ('alerts' | 'holds')[]) => void;
}

export function toAlert(a: StoredAlert, held: Hold | null): Alert {
  return {
    id: a.id,
    kind: a.kind,
    subject: { type: a.subjectType, id: a.subjectId, label: a.subjectLabel },
    serverId: a.serverId,
    ip: a.ip,
    zoneId: a.zoneId,
    clusterId: a.clusterId,
    severity: a.severity,
    state: a.state,
    flapping: a.flapping,
    summary: a.summary,
    value: a.value,
    threshold: a.threshold,
    ruleSource: a.ruleSource,
    startedAt: a.startedAt,
    updatedAt: a.updatedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    ackNote: a.ackNote,
    resolvedAt: a.resolvedAt,
    resolveNote: a.resolveNote,
    notifiedAt: a.notifiedAt,
    notifications: a.notifications,
    held: a.state === 'resolved' ? null : held,
  };
}

export function toDelivery(d: StoredDelivery, attempts: Delivery['attempts']): Delivery {
  return {
    id: d.id,
    channelId: d.channelId ?? 0,
    channelName: d.channelName,
    routeId: d.routeId,
    test: d.test,
    alertIds: d.alertIds,
    summary: d.summary,
    state: d.state,
    attempts,
    nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt : null,
    createdAt: d.createdAt,
    sentAt: d.sentAt,
  };
}

export function createAlertsService(deps: AlertsServiceDeps) {
  const { store, clock, engine } = deps;

  /** Holds read afresh (the engine's own index moves only with its tick). */
  const holds = (): HoldIndex => {
    // Places are read once, in one query, and only if a cluster or zone silence asks for them.
    let places: ReturnType<typeof store.servers.places> | undefined;
    const index = new HoldIndex(store, (id) => (places ??= store.servers.places()).get(id) ?? null);
    index.refresh(clock());
    return index;
  };

  const toSilence = (s: StoredSilence, now: number): Silence => ({
    id: s.id,
    scope: { level: s.level, id: s.scopeId },
    scopeLabel: s.scopeLabel,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    endedAt: s.endedAt,
    endedBy: s.endedBy,
    reason: s.reason,
    createdBy: s.createdBy,
    active: isSilenceActive(s, now),
  });

  const toMaintenance = (m: StoredMaintenance, now: number): Maintenance => ({ ...m, active: isMaintenanceActive(m, now) });

  const list = (filter: AlertFilter): { alerts: Alert[]; total: number } => {
    const index = holds();
    const { alerts, total } = store.alerts.list(filter);
    return { alerts: alerts.map((a) => toAlert(a, index.of(a.serverId))), total };
  };

  return {
    list,
    get(id: number): Alert & { deliveries: Delivery[] } {
      const alert = store.alerts.get(id);
      if (!alert) throw notFound('Alert', String(id));
      const deliveries = store.alertDeliveries.forAlert(id).map((d) => toDelivery(d, store.alertDeliveries.attempts(d.id)));
      return { ...toAlert(alert, holds().of(alert.serverId)), deliveries };
    },
    counts(): AlertCounts {
      const index = holds();
      const open = engine.running ? engine.book.openAlerts() : store.alerts.open();
      const counts: AlertCounts = { firing: 0, acknowledged: 0, held: 0, critical: 0 };
      for (const a of open) {
        const held = a.state === 'firing' && index.of(a.serverId) !== null;
        if (held) counts.held += 1;
        else if (a.state === 'firing') counts.firing += 1;
        if (a.state === 'acknowledged') counts.acknowledged += 1;
        if (a.state === 'firing' && !held && a.severity === 'critical') counts.critical += 1;
      }
      return counts;
    },
    acknowledge(ids: readonly number[], note: string): Alert[] {
      const now = clock();
      const wanted = new Set(ids);
      for (const id of wanted) {
        const alert = store.alerts.get(id);
        if (!alert) throw notFound('Alert', String(id));
        if (alert.state === 'resolved')
          throw invalid('ids', `Alert ${id} (${alert.subjectLabel}) is already resolved: there is nothing to acknowledge.`);
      }
      const by = deps.who();
      let done: StoredAlert[];
      if (engine.running) {
        done = store.transaction(() => engine.book.acknowledge(wanted, by, note, now));
      } else {
        // No engine here (a CLI command): acknowledge in the file; the running host reads it at start.
        done = store.transaction(() =>
          [...wanted].flatMap((id) => {
            const a = store.alerts.get(id);
            if (!a || a.state !== 'firing') return [];
            const next: StoredAlert = {
              ...a,
              state: 'acknowledged',
              acknowledgedAt: now,
              acknowledgedBy: by,
              ackNote: note === '' ? null : note,
              updatedAt: now,
            };
            store.alerts.update(next);
            return [next];
          }),
        );
      }
      deps.onChanged(['alerts']);
      const index = holds();
      return done.map((a) => toAlert(a, index.of(a.serverId)));
    },
    export(format: 'json' | 'csv', filter: AlertFilter): { text: string; fileName: string } {
      const { alerts } = list(filter);
      const stamp = new Date(clock()).toISOString().replace(/[:.]/g, '-').slice(0, 19);
      return format === 'json'
        ? { text: formatAlertsJson(alerts), fileName: `switchyard-alerts-${stamp}.json` }
        : { text: formatAlertsCsv(alerts), fileName: `switchyard-alerts-${stamp}.csv` };
    },
    holds(): Record<string, Hold> {
      return holds().map(store.servers.places().keys());
    },
    listSilences(includeEnded: boolean): Silence[] {
      const now = clock();
      return store.holds
        .silences()
        .map((s) => toSilence(s, now))
        .filter((s) => includeEnded || s.active || s.startsAt > now);
    },
    createSilence(input: SilenceInput): Silence {
      const now = clock();
      let endsAt: number;
      if (input.for !== undefined) {
        const ms = parseDuration(input.for);
        if (ms === null) throw invalid('for', `"${input.for}" is not a duration between 1s and a year (such as 30m, 1h, 2d).`);
        endsAt = now + ms;
      } else {
        endsAt = input.until ?? now;
        if (endsAt <= now) throw invalid('until', 'The end of a silence must be in the future.');
        if (endsAt - now > MAX_DURATION_MS) throw invalid('until', 'A silence lasts at most a year.');
      }
      const scope = { level: input.scope.level, id: input.scope.id ?? null };
      const label = scopeLabelOf(store, scope);
      const stored = store.holds.addSilence({
        level: scope.level,
        scopeId: scope.id,
        scopeLabel: label,
        startsAt: now,
        endsAt,
        reason: input.reason,
        createdBy: deps.who(),
      });
      deps.onChanged(['holds']);
      return toSilence(stored, now);
    },
    endSilence(id: number): Silence {
      const now = clock();
      const silence = store.holds.silence(id);
      if (!silence) throw notFound('Silence', String(id));
      if (!isSilenceActive(silence, now) && silence.startsAt <= now) throw invalid('id', `Silence ${id} has already ended.`);
      store.holds.endSilence(id, now, deps.who());
      deps.onChanged(['holds']);
      return toSilence(store.holds.silence(id) as StoredSilence, now);
    },
    listMaintenance(includeEnded: boolean): Maintenance[] {
      const now = clock();
      return store.holds
        .maintenance()
        .map((m) => toMaintenance(m, now))
        .filter((m) => includeEnded || m.active);
    },
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
