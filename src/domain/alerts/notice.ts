// What one delivery carries: the alert changes grouped for one channel and route. The engine
// stores it as JSON in the outbox; each channel's format (formats/) renders it when sending, so
// a message retried after a restart says exactly what it said the first time.
import type { AlertKind, Severity } from '../../contract/alerts';

/** What happened to an alert, from a channel's point of view. */
export type NoticeWhat = 'firing' | 'resolved' | 'reminder' | 'flapping' | 'acknowledged';

export interface NoticeItem {
  alertId: number;
  what: NoticeWhat;
  kind: AlertKind;
  /** "Server down", "SIP loss", … */
  kindLabel: string;
  severity: Severity;
  subject: { type: 'server' | 'fleet' | 'channel'; id: string | null; label: string };
  serverId: string | null;
  ip: string | null;
  zone: string | null;
  cluster: string | null;
  /** For routes by zone and cluster (the names above are for people). */
  zoneId: string | null;
  clusterId: string | null;
  /** The figures, in words. */
  summary: string;
  value: number | null;
  threshold: number | null;
  /** Where the rule was set. */
  ruleSource: string;
  startedAt: number;
  /** When this change happened. */
  at: number;
  resolvedAt: number | null;
  acknowledgedBy: string | null;
  ackNote: string | null;
}

/**
 * For incident tools (PagerDuty): the alerts of one kind in one route form an incident, keyed
 * by `dedupKey`, open while any of them fires; resolved when the last one resolves.
 */
export interface NoticeGroup {
  kind: AlertKind;
  kindLabel: string;
  dedupKey: string;
  /** Open and not acknowledged, in this route, after this batch. */
  firing: number;
  /** Open and acknowledged. */
  acknowledged: number;
  /** The highest severity among the open ones (or of the batch's items when none is open). */
  severity: Severity;
}

export interface NoticeBatch {
  /** The delivery's id: receivers may use it to drop a repeat after a retry. */
  deliveryId: number;
  channel: { id: number; name: string };
  routeId: number | null;
  createdAt: number;
  /** "Send test": a message that says it is a test and carries one made-up item. */
  test: boolean;
  items: NoticeItem[];
  groups: NoticeGroup[];
  /** Switchyard's version, for User-Agent lines. */
  version: string;
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 3, warning: 2, info: 1 };

/** Counts per change, for titles: "3 firing, 1 resolved". */
export function countWhat(items: readonly NoticeItem[]): Record<NoticeWhat, number> {
  const counts: Record<NoticeWhat, number> = { firing: 0, resolved: 0, reminder: 0, flapping: 0, acknowledged: 0 };
  for (const item of items) counts[item.what] += 1;
  return counts;
}

/** The one-line title every format starts from: "FIRING 3 · RESOLVED 1 — Server down: us-east-sw1, …". */
export function batchTitle(batch: Pick<NoticeBatch, 'items' | 'test'>): string {
  if (batch.test) return 'Switchyard test message: this channel works';
  const counts = countWhat(batch.items);
  const parts = (['firing', 'flapping', 'reminder', 'acknowledged', 'resolved'] as const)
    .filter((w) => counts[w] > 0)
    .map((w) => `${WHAT_WORD[w]} ${counts[w]}`);
  const kinds = [...new Set(batch.items.map((i) => i.kindLabel))];
  const subjects = batch.items.slice(0, 3).map((i) => i.subject.label);
  const more = batch.items.length > 3 ? `, +${batch.items.length - 3} more` : '';
  return `${parts.join(' · ')} — ${kinds.join(', ')}: ${subjects.join(', ')}${more}`;
}

export const WHAT_WORD: Readonly<Record<NoticeWhat, string>> = {
  firing: 'FIRING',
  resolved: 'RESOLVED',
  reminder: 'STILL FIRING',
  flapping: 'FLAPPING',
  acknowledged: 'ACKNOWLEDGED',
};

/** One line per item, for plain-text bodies. */
export function itemLine(item: NoticeItem): string {
  const where = [item.zone && `zone ${item.zone}`, item.cluster && `cluster ${item.cluster}`].filter(Boolean).join(', ');
  const ack =
    item.what === 'acknowledged' && item.acknowledgedBy ? ` by ${item.acknowledgedBy}${item.ackNote ? `: ${item.ackNote}` : ''}` : '';
  return `[${WHAT_WORD[item.what]}] ${item.severity.toUpperCase()} ${item.kindLabel} — ${item.subject.label}${where ? ` (${where})` : ''}: ${item.summary}${ack}`;
}

/** Bodies list at most this many items; the rest are counted. A storm is one readable message. */
export const MAX_LISTED_ITEMS = 50;
