// PagerDuty Events API v2: one event per incident group of the batch (the alerts of one kind in
// one route), keyed by the group's dedup key so PagerDuty keeps one incident per group:
//   - some of its alerts fire (not acknowledged): "trigger", with a payload describing them;
//   - none fires, some are acknowledged: "acknowledge";
//   - none is open any more: "resolve".
// A repeated trigger for an open incident only updates it, so retries and reminders are safe.
//
// "Send test" sends two events with a dedup key of their own ("switchyard-test-<deliveryId>"):
// a trigger, then a resolve, so the test shows up in PagerDuty's log and leaves no incident open
// (nobody is paged for long: the incident resolves at once).
import type { Severity } from '../../../contract/alerts';
import { batchTitle, type NoticeBatch, type NoticeGroup, type NoticeItem } from '../notice';
import { alertJson, type GenericAlert } from './generic';
import { listed } from './listing';
import { clip, iso, oneLine } from './text';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PagerDutyPayload {
  summary: string;
  source: 'switchyard';
  severity: PagerDutySeverity;
  timestamp: string;
  component: string;
  group: string;
  class: string;
  custom_details: { firing: number; acknowledged: number; test?: true; alerts: GenericAlert[]; omitted: number };
}

export type PagerDutyEvent =
  | { routing_key: string; event_action: 'trigger'; dedup_key: string; payload: PagerDutyPayload }
  | { routing_key: string; event_action: 'acknowledge' | 'resolve'; dedup_key: string };

/** PagerDuty's default Events API v2 address, used when the channel sets no URL. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
const SUMMARY_MAX = 1024;
const FIELD_MAX = 255;

// Switchyard has no "error" level; its severities map one to one.
const SEVERITY: Readonly<Record<Severity, PagerDutySeverity>> = { critical: 'critical', warning: 'warning', info: 'info' };

export function groupAction(group: Pick<NoticeGroup, 'firing' | 'acknowledged'>): PagerDutyEvent['event_action'] {
  if (group.firing > 0) return 'trigger';
  return group.acknowledged > 0 ? 'acknowledge' : 'resolve';
}

/** One value when every item agrees on it, else `several` ("3 servers"). */
function common(values: (string | null)[], several: (n: number) => string, none: string): string {
  const distinct = [...new Set(values.filter((v): v is string => v !== null && v !== ''))];
  if (distinct.length === 0) return none;
  return clip(oneLine(distinct.length === 1 ? (distinct[0] ?? none) : several(distinct.length)), FIELD_MAX);
}

function triggerPayload(batch: NoticeBatch, group: NoticeGroup, items: NoticeItem[]): PagerDutyPayload {
  const { shown, omitted } = listed(items);
  const subjects = [...new Set(shown.map((i) => i.subject.label))];
  const counts = [`${group.firing} firing`, group.acknowledged > 0 ? `${group.acknowledged} acknowledged` : ''].filter(Boolean).join(', ');
  const head = subjects.slice(0, 5).join(', ') + (subjects.length > 5 ? `, +${subjects.length - 5} more` : '');
  const latest = items.reduce((at, i) => Math.max(at, i.at), 0);
  return {
    summary: clip(
      oneLine(`${group.kindLabel} (${counts})${head ? `: ${head}` : ''}${shown.length === 1 && shown[0] ? ` — ${shown[0].summary}` : ''}`),
      SUMMARY_MAX,
    ),
    source: 'switchyard',
    severity: SEVERITY[group.severity],
    timestamp: iso(latest > 0 ? latest : batch.createdAt),
    component: common(
      items.map((i) => i.subject.label),
      (n) => `${n} ${items.every((i) => i.subject.type === 'server') ? 'servers' : 'subjects'}`,
      'fleet',
    ),
    group: common(
      items.map((i) => i.cluster ?? i.zone),
      (n) => `${n} clusters or zones`,
      'fleet',
    ),
    class: group.kind,
    custom_details: { firing: group.firing, acknowledged: group.acknowledged, alerts: shown.map(alertJson), omitted },
  };
}

function testEvents(batch: NoticeBatch, routingKey: string): PagerDutyEvent[] {
  const dedupKey = `switchyard-test-${batch.deliveryId}`;
  const { shown, omitted } = listed(batch.items);
  const payload: PagerDutyPayload = {
    summary: clip(oneLine(`${batchTitle(batch)} (channel ${batch.channel.name}; resolved at once)`), SUMMARY_MAX),
    source: 'switchyard',
    severity: 'info',
    timestamp: iso(batch.createdAt),
    component: 'switchyard',
    group: 'test',
    class: 'test',
    custom_details: { firing: 0, acknowledged: 0, test: true, alerts: shown.map(alertJson), omitted },
  };
  return [
    { routing_key: routingKey, event_action: 'trigger', dedup_key: dedupKey, payload },
    { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey },
  ];
}

/** The events to post, in order. A batch without groups has nothing to tell an incident tool. */
export function renderPagerDuty(batch: NoticeBatch, routingKey: string): PagerDutyEvent[] {
  if (batch.test) return testEvents(batch, routingKey);
  return batch.groups.map((group): PagerDutyEvent => {
    const action = groupAction(group);
    if (action !== 'trigger') return { routing_key: routingKey, event_action: action, dedup_key: group.dedupKey };
    const items = batch.items.filter((i) => i.kind === group.kind);
    return { routing_key: routingKey, event_action: 'trigger', dedup_key: group.dedupKey, payload: triggerPayload(batch, group, items) };
  });
}
