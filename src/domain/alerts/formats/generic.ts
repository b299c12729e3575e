// Switchyard's own webhook body (preset "generic"), for receivers written against Switchyard.
//
//   POST <url>
//   Content-Type: application/json
//   User-Agent: Switchyard/<version>
//   X-Switchyard-Delivery: <deliveryId>
//   Idempotency-Key: switchyard-delivery-<deliveryId>
//
//   {
//     "switchyard": "alerts",          always this: tells the body apart from other JSON
//     "version": 1,                    the body's format; a change that breaks readers raises it
//     "deliveryId": 1234,              the same on every retry of this delivery: drop repeats by it
//     "test": false,                   true for "Send test": one made-up alert, nothing is wrong
//     "title": "FIRING 2 — Server down: edge-1, edge-2",
//     "createdAt": "2025-03-01T02:59:58.000Z",
//     "channel": { "id": 3, "name": "NOC webhook" },
//     "counts": { "firing": 2, "resolved": 0, "reminder": 0, "flapping": 0, "acknowledged": 0 },
//     "alerts": [                      at most 50, most urgent first (firing, then by severity)
//       {
//         "id": 812,                   Switchyard's alert id; the same alert keeps it until it resolves
//         "what": "firing",            firing | resolved | reminder (still firing) | flapping | acknowledged
//         "kind": "consecutive-failures", "kindLabel": "Server down",
//         "severity": "critical",      critical | warning | info
//         "subject": { "type": "server", "id": "edge-1", "label": "edge-1" },   type: server | fleet | channel
//         "serverId": "edge-1", "ip": "203.0.113.10", "zone": "us-east", "cluster": "edge",   null when not a server's
//         "summary": "SIP: 3 probes lost in a row",
//         "value": 3, "threshold": 3,  numbers behind the summary, or null
//         "ruleSource": "fleet default",
//         "startedAt": "2025-03-01T02:59:41.000Z",
//         "at": "2025-03-01T02:59:41.000Z",            when this change happened
//         "resolvedAt": null,          ISO time once resolved
//         "acknowledgedBy": null, "ackNote": null
//       }
//     ],
//     "omitted": 0,                    alerts in this delivery left out of "alerts"
//     "groups": [                      one per kind of alert in the route: the incident view
//       { "kind": "consecutive-failures", "kindLabel": "Server down", "dedupKey": "…",
//         "firing": 2, "acknowledged": 0, "severity": "critical" }
//     ]
//   }
//
// Any 2xx answer is success. 408, 429 (Retry-After is honoured) and 5xx are retried with
// backoff; any other answer, a redirect included, fails the delivery without a retry.
import { countWhat, batchTitle, type NoticeBatch, type NoticeGroup, type NoticeItem, type NoticeWhat } from '../notice';
import { listed } from './listing';
import { iso } from './text';

export interface GenericAlert {
  id: number;
  what: NoticeWhat;
  kind: NoticeItem['kind'];
  kindLabel: string;
  severity: NoticeItem['severity'];
  subject: NoticeItem['subject'];
  serverId: string | null;
  ip: string | null;
  zone: string | null;
  cluster: string | null;
  summary: string;
  value: number | null;
  threshold: number | null;
  ruleSource: string;
  startedAt: string;
  at: string;
  resolvedAt: string | null;
  acknowledgedBy: string | null;
  ackNote: string | null;
}

export interface GenericBody {
  switchyard: 'alerts';
  version: 1;
  deliveryId: number;
  test: boolean;
  title: string;
  createdAt: string;
  channel: { id: number; name: string };
  counts: Record<NoticeWhat, number>;
  alerts: GenericAlert[];
  omitted: number;
  groups: NoticeGroup[];
}

/** One alert as JSON, with times as ISO strings; PagerDuty's custom details reuse it. */
export function alertJson(item: NoticeItem): GenericAlert {
  return {
    id: item.alertId,
    what: item.what,
    kind: item.kind,
    kindLabel: item.kindLabel,
    severity: item.severity,
    subject: { type: item.subject.type, id: item.subject.id, label: item.subject.label },
    serverId: item.serverId,
    ip: item.ip,
    zone: item.zone,
    cluster: item.cluster,
    summary: item.summary,
    value: item.value,
    threshold: item.threshold,
    ruleSource: item.ruleSource,
    startedAt: iso(item.startedAt),
    at: iso(item.at),
    resolvedAt: item.resolvedAt === null ? null : iso(item.resolvedAt),
    acknowledgedBy: item.acknowledgedBy,
    ackNote: item.ackNote,
  };
}

export function renderGeneric(batch: NoticeBatch): GenericBody {
  const { shown, omitted } = listed(batch.items);
  return {
    switchyard: 'alerts',
    version: 1,
    deliveryId: batch.deliveryId,
    test: batch.test,
    title: batchTitle(batch),
    createdAt: iso(batch.createdAt),
    channel: { id: batch.channel.id, name: batch.channel.name },
    counts: countWhat(batch.items),
    alerts: shown.map(alertJson),
    omitted,
    groups: batch.groups.map((g) => ({ ...g })),
  };
}
