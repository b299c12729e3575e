// Groups the alert changes waiting in SQLite into deliveries: one per route (and so per channel)
// for everything that changed together. A group closes once no change has arrived for `quietMs`,
// or `maxWaitMs` after its first change. A thousand servers going down together raise over one or
// two probe intervals (a server that had lost a probe just before needs one loss fewer), with
// changes arriving at every tick; a second of quiet ends the storm, so it makes one message per
// route, sent about a second after the last of them (test/bench/alert-storm.ts measures it).
import { batchTitle, SEVERITY_RANK, type NoticeGroup, type NoticeItem } from '../../domain/alerts/notice';
import { ALERT_KIND_LABEL } from '../../domain/alerts/rule-kinds';
import { routeMatches, type RoutedChange } from '../../domain/alerts/routing';
import type { StoredRoute } from '../store/alert-channels-repo';
import type { StoredAlert } from '../store/alerts-repo';
import type { Store } from '../store/store';

export const QUIET_MS = 1_000;
export const MAX_WAIT_MS = 10_000;

export interface NotifierDeps {
  store: Store;
  version: string;
  /** Open alerts as the engine holds them now, for the incident counts of each route. */
  openAlerts: () => readonly StoredAlert[];
  quietMs?: number;
  maxWaitMs?: number;
}

function routedOf(item: NoticeItem): RoutedChange {
  return {
    kind: item.kind,
    severity: item.severity,
    what: item.what,
    zoneId: item.zoneId,
    clusterId: item.clusterId,
    channelId: item.subject.type === 'channel' && item.subject.id !== null ? Number(item.subject.id) : null,
  };
}

function routedAlert(a: StoredAlert): RoutedChange {
  return {
    kind: a.kind,
    severity: a.severity,
    what: 'firing',
    zoneId: a.zoneId,
    clusterId: a.clusterId,
    channelId: a.subjectType === 'channel' ? Number(a.subjectId) : null,
  };
}

/** Creates the deliveries that are due now; returns how many. Runs in one transaction. */
export function groupNotices(deps: NotifierDeps, now: number): number {
  const { store } = deps;
  const span = store.alerts.waitingSpan();
  if (span === null) return 0;
  const quiet = deps.quietMs ?? QUIET_MS;
  const maxWait = deps.maxWaitMs ?? MAX_WAIT_MS;
  if (now - span.newest < quiet && now - span.oldest < maxWait) return 0;
  // Due: only now are the changes themselves read.
  const waiting = store.alerts.waitingNotices();

  return store.transaction(() => {
    const channels = new Map(store.alertChannels.channels().map((c) => [c.id, c]));
    const routes = store.alertChannels.routes().filter((r) => r.enabled && channels.get(r.channelId)?.enabled === true);
    const byRoute = new Map<number, NoticeItem[]>();
    for (const notice of waiting) {
      const change = routedOf(notice.item);
      for (const route of routes) {
        if (!routeMatches(route, change)) continue;
        const list = byRoute.get(route.id) ?? [];
        list.push(notice.item);
        byRoute.set(route.id, list);
      }
    }
    let created = 0;
    const open = deps.openAlerts();
    for (const [routeId, items] of byRoute) {
      const route = routes.find((r) => r.id === routeId) as StoredRoute;
      const channel = channels.get(route.channelId);
      if (!channel) continue;
      const batch = {
        channel: { id: channel.id, name: channel.name },
        routeId,
        createdAt: now,
        test: false,
        items,
        groups: groupsOf(store, route, items, open, now),
        version: deps.version,
      };
      store.alertDeliveries.insert({
        channelId: channel.id,
        channelName: channel.name,
        routeId,
        test: false,
        batch,
        alertIds: [...new Set(items.map((i) => i.alertId))],
        summary: batchTitle(batch),
        state: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      });
      created += 1;
    }
    store.alerts.markBatched(
      waiting.map((n) => n.id),
      now,
    );
    return created;
  });
}

/** One incident per route and kind: open while any of its alerts is open, closed with the last. */
function groupsOf(
  store: Store,
  route: StoredRoute,
  items: readonly NoticeItem[],
  open: readonly StoredAlert[],
  now: number,
): NoticeGroup[] {
  const kinds = [...new Set(items.map((i) => i.kind))];
  return kinds.map((kind) => {
    const inRoute = open.filter(
      (a) => a.kind === kind && a.notifiedAt !== null && routeMatches({ ...route, notifyResolved: true }, routedAlert(a)),
    );
    const firing = inRoute.filter((a) => a.state === 'firing').length;
    const acknowledged = inRoute.filter((a) => a.state === 'acknowledged').length;
    const dedupKey = store.alerts.episode(route.id, kind, `switchyard-r${route.id}-${kind}-${now}`, now);
    if (firing + acknowledged === 0) store.alerts.closeEpisode(route.id, kind);
    const pool = inRoute.length > 0 ? inRoute : items;
    const severity = pool.reduce<NoticeItem['severity']>(
      (best, a) => (SEVERITY_RANK[a.severity] > SEVERITY_RANK[best] ? a.severity : best),
      'info',
    );
    return { kind, kindLabel: ALERT_KIND_LABEL[kind], dedupKey, firing, acknowledged, severity };
  });
}
