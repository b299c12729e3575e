// Alerts and their life, the changes waiting to be grouped into deliveries, and the little state
// the periodic rules keep (since when a condition holds, how many polls failed in a row).
import type { AlertCounts, AlertFilter, AlertKind, AlertState, Severity } from '../../contract/alerts';
import type { NoticeItem, NoticeWhat } from '../../domain/alerts/notice';
import type { Db } from './database';

export interface StoredAlert {
  id: number;
  kind: AlertKind;
  subjectType: 'server' | 'fleet' | 'channel';
  subjectId: string | null;
  subjectLabel: string;
  serverId: string | null;
  ip: string | null;
  zoneId: string | null;
  zoneName: string | null;
  clusterId: string | null;
  clusterName: string | null;
  severity: Severity;
  state: AlertState;
  flapping: boolean;
  summary: string;
  value: number | null;
  threshold: number | null;
  ruleSource: string;
  startedAt: number;
  updatedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  ackNote: string | null;
  resolvedAt: number | null;
  resolveNote: string | null;
  notifiedAt: number | null;
  lastNotifiedAt: number | null;
  notifications: number;
}

interface Row {
  id: number;
  kind: AlertKind;
  subject_type: StoredAlert['subjectType'];
  subject_id: string | null;
  subject_label: string;
  server_id: string | null;
  ip: string | null;
  zone_id: string | null;
  zone_name: string | null;
  cluster_id: string | null;
  cluster_name: string | null;
  severity: Severity;
  state: AlertState;
  flapping: number;
  summary: string;
  value: number | null;
  threshold: number | null;
  rule_source: string;
  started_at: number;
  updated_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  ack_note: string | null;
  resolved_at: number | null;
  resolve_note: string | null;
  notified_at: number | null;
  last_notified_at: number | null;
  notifications: number;
}

const fromRow = (r: Row): StoredAlert => ({
  id: r.id,
  kind: r.kind,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  subjectLabel: r.subject_label,
  serverId: r.server_id,
  ip: r.ip,
  zoneId: r.zone_id,
  zoneName: r.zone_name,
  clusterId: r.cluster_id,
  clusterName: r.cluster_name,
  severity: r.severity,
  state: r.state,
  flapping: r.flapping !== 0,
  summary: r.summary,
  value: r.value,
  threshold: r.threshold,
  ruleSource: r.rule_source,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  ackNote: r.ack_note,
  resolvedAt: r.resolved_at,
  resolveNote: r.resolve_note,
  notifiedAt: r.notified_at,
  lastNotifiedAt: r.last_notified_at,
  notifications: r.notifications,
});

const toParams = (a: Omit<StoredAlert, 'id'> & { id?: number }) => ({
  id: a.id ?? null,
  kind: a.kind,
  subject_type: a.subjectType,
  subject_id: a.subjectId,
  subject_label: a.subjectLabel,
  server_id: a.serverId,
  ip: a.ip,
  zone_id: a.zoneId,
  zone_name: a.zoneName,
  cluster_id: a.clusterId,
  cluster_name: a.clusterName,
  severity: a.severity,
  state: a.state,
  flapping: a.flapping ? 1 : 0,
  summary: a.summary,
  value: a.value,
  threshold: a.threshold,
  rule_source: a.ruleSource,
  started_at: a.startedAt,
  updated_at: a.updatedAt,
  acknowledged_at: a.acknowledgedAt,
  acknowledged_by: a.acknowledgedBy,
  ack_note: a.ackNote,
  resolved_at: a.resolvedAt,
  resolve_note: a.resolveNote,
  notified_at: a.notifiedAt,
  last_notified_at: a.lastNotifiedAt,
  notifications: a.notifications,
});

const COLUMNS = Object.keys(toParams({} as StoredAlert)).filter((c) => c !== 'id');

export interface WaitingNotice {
  id: number;
  alertId: number;
  what: NoticeWhat;
  at: number;
  item: NoticeItem;
}

/** A filter's WHERE clause and its values; text matches the subject, summary and note. */
function where(filter: AlertFilter): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    parts.push(sql);
    values.push(value);
  };
  if (filter.state === 'open') parts.push("state <> 'resolved'");
  else if (filter.state !== 'all') add('state = ?', filter.state);
  if (filter.serverId !== undefined) add('server_id = ?', filter.serverId);
  if (filter.kind !== undefined) add('kind = ?', filter.kind);
  if (filter.severity !== undefined) add('severity = ?', filter.severity);
  if (filter.before !== undefined) add('started_at < ?', filter.before);
  if (filter.text !== undefined && filter.text !== '') {
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(
      "(subject_label LIKE ? ESCAPE '\\' OR summary LIKE ? ESCAPE '\\' OR coalesce(ip, '') LIKE ? ESCAPE '\\' OR coalesce(ack_note, '') LIKE ? ESCAPE '\\')",
    );
    values.push(like, like, like, like);
  }
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, values };
}

export function createAlertsRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO alerts (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
  const update = db.prepare(`UPDATE alerts SET ${COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`);
  const one = db.prepare('SELECT * FROM alerts WHERE id = ?');
  const open = db.prepare("SELECT * FROM alerts WHERE state <> 'resolved' ORDER BY id");
  const startsSince = db
    .prepare('SELECT count(*) FROM alerts WHERE kind = ? AND subject_type = ? AND subject_id IS ? AND started_at >= ?')
    .pluck();
  const countsOpen = db.prepare("SELECT state, severity, count(*) AS n FROM alerts WHERE state <> 'resolved' GROUP BY state, severity");
  const addNotice = db.prepare('INSERT INTO alert_notices (alert_id, what, at, item) VALUES (?, ?, ?, ?)');
  const waiting = db.prepare('SELECT id, alert_id, what, at, item FROM alert_notices WHERE batched_at IS NULL ORDER BY id LIMIT ?');
  const waitingSpan = db.prepare('SELECT min(at) AS oldest, max(at) AS newest FROM alert_notices WHERE batched_at IS NULL');
  const markBatched = db.prepare('UPDATE alert_notices SET batched_at = ? WHERE id = ?');
  const getCondition = db.prepare('SELECT since, streak FROM alert_conditions WHERE kind = ? AND subject = ?');
  const setCondition = db.prepare(
    'INSERT INTO alert_conditions (kind, subject, since, streak) VALUES (?, ?, ?, ?) ON CONFLICT (kind, subject) DO UPDATE SET since = excluded.since, streak = excluded.streak',
  );
  const clearCondition = db.prepare('DELETE FROM alert_conditions WHERE kind = ? AND subject = ?');
  const getEpisode = db.prepare('SELECT dedup_key FROM alert_episodes WHERE route_id = ? AND kind = ?').pluck();
  const openEpisode = db.prepare('INSERT INTO alert_episodes (route_id, kind, dedup_key, opened_at) VALUES (?, ?, ?, ?)');
  const closeEpisode = db.prepare('DELETE FROM alert_episodes WHERE route_id = ? AND kind = ?');
  const pruneAlerts = db.prepare("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < ?");
  const pruneNotices = db.prepare('DELETE FROM alert_notices WHERE batched_at IS NOT NULL AND batched_at < ?');

  return {
    insert(alert: Omit<StoredAlert, 'id'>): StoredAlert {
      const id = Number(insert.run(toParams(alert)).lastInsertRowid);
      return { ...alert, id };
    },
    update(alert: StoredAlert): void {
      update.run(toParams(alert));
    },
    get(id: number): StoredAlert | null {
      const row = one.get(id) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    /** Firing and acknowledged alerts, oldest first. */
    open: (): StoredAlert[] => (open.all() as Row[]).map(fromRow),
    list(filter: AlertFilter): { alerts: StoredAlert[]; total: number } {
      const w = where(filter);
      const rows = db
        .prepare(`SELECT * FROM alerts ${w.sql} ORDER BY started_at DESC, id DESC LIMIT ?`)
        .all(...w.values, filter.limit) as Row[];
      const total = db
        .prepare(`SELECT count(*) FROM alerts ${w.sql}`)
        .pluck()
        .get(...w.values) as number;
      return { alerts: rows.map(fromRow), total };
    },
    /** How many alerts of this kind and subject started since `since`: flapping is counted from it. */
    startsSince(kind: AlertKind, subjectType: string, subjectId: string | null, since: number): number {
      // `IS ?` (null matches null) walks the whole alerts_subject index; coalesce() could use only its kind and type.
      return startsSince.get(kind, subjectType, subjectId, since) as number;
    },
    /** Open alerts by state and severity; `held` is the caller's to count (it knows the holds). */
    openCounts(): Omit<AlertCounts, 'held'> {
      const counts = { firing: 0, acknowledged: 0, critical: 0 };
      for (const r of countsOpen.all() as { state: AlertState; severity: Severity; n: number }[]) {
        if (r.state === 'firing') counts.firing += r.n;
        if (r.state === 'acknowledged') counts.acknowledged += r.n;
        if (r.severity === 'critical' && r.state === 'firing') counts.critical += r.n;
      }
      return counts;
    },
    addNotice(alertId: number, what: NoticeWhat, at: number, item: NoticeItem): void {
      addNotice.run(alertId, what, at, JSON.stringify(item));
    },
    waitingNotices(limit = 100_000): WaitingNotice[] {
      return (waiting.all(limit) as { id: number; alert_id: number; what: NoticeWhat; at: number; item: string }[]).map((r) => ({
        id: r.id,
        alertId: r.alert_id,
        what: r.what,
        at: r.at,
        item: JSON.parse(r.item) as NoticeItem,
      }));
    },
    /**
     * When the oldest and the newest change still waiting to be grouped happened; null when none
     * waits. Asked at every tick: during a storm thousands wait, and reading them all (each one's
     * item parsed) to learn whether the storm is over took a tenth of a second a tick at 10,000 servers.
     */
    waitingSpan(): { oldest: number; newest: number } | null {
      const span = waitingSpan.get() as { oldest: number | null; newest: number | null };
      return span.oldest === null || span.newest === null ? null : { oldest: span.oldest, newest: span.newest };
    },
    markBatched(ids: readonly number[], at: number): void {
      for (const id of ids) markBatched.run(at, id);
    },
    condition(kind: string, subject: string): { since: number; streak: number } | null {
      return (getCondition.get(kind, subject) as { since: number; streak: number } | undefined) ?? null;
    },
    setCondition(kind: string, subject: string, since: number, streak: number): void {
      setCondition.run(kind, subject, since, streak);
    },
    clearCondition(kind: string, subject: string): void {
      clearCondition.run(kind, subject);
    },
    /** The incident key of a route's alerts of one kind, opened with `key` when there is none. */
    episode(routeId: number, kind: AlertKind, key: string, at: number): string {
      const found = getEpisode.get(routeId, kind) as string | undefined;
      if (found !== undefined) return found;
      openEpisode.run(routeId, kind, key, at);
      return key;
    },
    closeEpisode(routeId: number, kind: AlertKind): void {
      closeEpisode.run(routeId, kind);
    },
    /** Resolved alerts and grouped notices older than `cutoff`. */
    prune(cutoff: number): number {
      return pruneAlerts.run(cutoff).changes + pruneNotices.run(cutoff).changes;
    },
  };
}

export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
