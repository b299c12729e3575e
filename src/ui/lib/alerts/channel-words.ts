// Channels and routes in words: kinds, presets, secrets as "set"/"not set", outcomes with their
// figures. Pure, for the channel list, its editor and the delivery log alike.
import type { AlertKind, Severity } from '../../../contract/alerts';
import type {
  Channel,
  ChannelKind,
  ChannelSecretName,
  DeliveryOutcome,
  SmtpSecurity,
  WebhookPreset,
} from '../../../contract/alerts-delivery';
import { ALERT_KIND_LABEL } from '../../../domain/alerts/rule-kinds';
import { SEVERITY_LOOK } from './words';

export const CHANNEL_KIND_LABEL: Readonly<Record<ChannelKind, string>> = {
  desktop: 'Desktop notification',
  webhook: 'Webhook',
  email: 'Email',
};
export const PRESET_LABEL: Readonly<Record<WebhookPreset, string>> = {
  generic: 'Generic JSON',
  slack: 'Slack',
  teams: 'Microsoft Teams',
  pagerduty: 'PagerDuty',
};
export const SECURITY_LABEL: Readonly<Record<SmtpSecurity, string>> = {
  starttls: 'STARTTLS (port 587)',
  tls: 'TLS (port 465)',
  none: 'None (port 25, local relays only)',
};
export const SECRET_LABEL: Readonly<Record<ChannelSecretName, string>> = { url: 'URL', routingKey: 'Routing key', password: 'Password' };

/** "Slack webhook", "Email", "Desktop notification". */
export function channelKindText(channel: Pick<Channel, 'config'>): string {
  const c = channel.config;
  return c.kind === 'webhook' ? `${PRESET_LABEL[c.preset]} webhook` : CHANNEL_KIND_LABEL[c.kind];
}

/** Which write-only secrets a channel of this configuration uses. */
export function secretsFor(config: Channel['config']): ChannelSecretName[] {
  if (config.kind === 'webhook') return config.preset === 'pagerduty' ? ['routingKey', 'url'] : ['url'];
  if (config.kind === 'email') return config.user === null ? [] : ['password'];
  return [];
}

/** Where a channel goes, without its secrets: the webhook's host, the mail server and recipients. */
export function channelTarget(channel: Pick<Channel, 'config' | 'target'>): string {
  const c = channel.config;
  if (c.kind === 'desktop') return 'This console and the desktop app';
  if (c.kind === 'email') return `${c.to.join(', ')} via ${c.host}:${c.port}`;
  return channel.target ?? 'no URL set';
}

/** "Sent: 200 in 85 ms", "Failed: 404 Not Found (120 ms)", "Failed: no answer: timed out (10000 ms)". */
export function outcomeText(o: DeliveryOutcome): string {
  const ms = `${Math.round(o.ms)} ms`;
  if (o.ok) return o.status === null ? `Sent in ${ms}` : `Sent: ${o.status} in ${ms}`;
  const status = o.status === null ? 'no answer' : String(o.status);
  return `Failed: ${status}${o.error ? `: ${o.error}` : ''} (${ms})`;
}

export function severitiesText(severities: readonly Severity[]): string {
  return severities.length === 3 ? 'every severity' : severities.map((s) => SEVERITY_LOOK[s].label).join(', ');
}

export function kindsText(kinds: readonly AlertKind[]): string {
  return kinds.length === 0 ? 'every kind' : kinds.map((k) => ALERT_KIND_LABEL[k]).join(', ');
}
