import type { NoticeItem, NoticeWhat } from '../../domain/alerts/notice';
import { ALERT_KIND_LABEL } from '../../domain/alerts/rule-kinds';
import type { StoredAlert } from '../store/alerts-repo';

/** An alert as a delivery carries it, frozen at the moment of the change. */
export function noticeItem(a: StoredAlert, what: NoticeWhat, at: number): NoticeItem {
  return {
    alertId: a.id,
    what,
    kind: a.kind,
    kindLabel: ALERT_KIND_LABEL[a.kind],
    severity: a.severity,
    subject: { type: a.subjectType, id: a.subjectId, label: a.subjectLabel },
    serverId: a.serverId,
    ip: a.ip,
    zone: a.zoneName,
    cluster: a.clusterName,
    zoneId: a.zoneId,
    clusterId: a.clusterId,
    // A resolution says why it ended ("Recovered: 2 answers in a row.") and what it was.
    summary: what === 'resolved' && a.resolveNote !== null ? `${a.resolveNote} (was: ${a.summary})` : a.summary,
    value: a.value,
    threshold: a.threshold,
    ruleSource: a.ruleSource,
    startedAt: a.startedAt,
    at,
    resolvedAt: a.resolvedAt,
    acknowledgedBy: a.acknowledgedBy,
    ackNote: a.ackNote,
  };
}
