// Every format a channel can send, and the JSON bodies each webhook preset posts.
import type { WebhookPreset } from '../../../contract/alerts-delivery';
import type { NoticeBatch } from '../notice';
import { renderGeneric } from './generic';
import { renderPagerDuty } from './pagerduty';
import { renderSlack } from './slack';
import { renderTeams } from './teams';

export { renderDesktop } from './desktop';
export { renderEmail, emailSubject, type EmailMessage } from './email';
export { alertJson, renderGeneric, type GenericAlert, type GenericBody } from './generic';
export { PAGERDUTY_EVENTS_URL, groupAction, renderPagerDuty, type PagerDutyEvent, type PagerDutyPayload } from './pagerduty';
export { renderSlack, slackEscape, type SlackBlock, type SlackBody } from './slack';
export { renderTeams, type TeamsBody } from './teams';

/**
 * The bodies a webhook posts for a batch, in order: one for most presets, one per incident group
 * for PagerDuty (none when the batch has no groups). PagerDuty needs its routing key; the
 * transport checks that it is set before rendering.
 */
export function webhookBodies(preset: WebhookPreset, batch: NoticeBatch, routingKey: string | null): unknown[] {
  switch (preset) {
    case 'generic':
      return [renderGeneric(batch)];
    case 'slack':
      return [renderSlack(batch)];
    case 'teams':
      return [renderTeams(batch)];
    case 'pagerduty':
      if (routingKey === null) throw new Error('PagerDuty needs a routing key');
      return renderPagerDuty(batch, routingKey);
  }
}
