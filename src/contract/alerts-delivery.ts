import { z } from 'zod';
import { AlertKind, Severity } from './alerts';
import { Id, Name } from './fleet';

// Where alerts go: channels (desktop, webhook with its presets, email), the routes that pick
// which alerts reach which channel, and the delivery log. A channel's secrets (a webhook URL
// with its token, a PagerDuty routing key, an SMTP password) are written to the secret store and
// never come back: the contract only says whether one is set.

export const ChannelKind = z.enum(['desktop', 'webhook', 'email']);
export type ChannelKind = z.infer<typeof ChannelKind>;

export const WebhookPreset = z.enum(['generic', 'slack', 'teams', 'pagerduty']);
export type WebhookPreset = z.infer<typeof WebhookPreset>;

export const SmtpSecurity = z.enum(['starttls', 'tls', 'none']);
export type SmtpSecurity = z.infer<typeof SmtpSecurity>;

const Timeout = z.number().int('must be whole milliseconds').min(500, 'must be at least 500 ms').max(120_000, 'must be at most 120000 ms');

const EmailAddress = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@<>()",;:]+@[^\s@<>()",;:]+$/, 'must be an email address such as noc@example.net');

const HostName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or address');

export const ChannelConfig = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('desktop') }),
  z.strictObject({
    kind: z.literal('webhook'),
    preset: WebhookPreset,
    timeoutMs: Timeout.default(10_000),
  }),
  z.strictObject({
    kind: z.literal('email'),
    host: HostName,
    port: z.number().int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535'),
    security: SmtpSecurity,
    /** Sign in as this user (the password is a secret); null: no authentication. */
    user: z.string().trim().min(1).max(254).nullable(),
    from: EmailAddress,
    to: z.array(EmailAddress).min(1, 'needs at least one recipient').max(50, 'takes at most 50 recipients'),
    timeoutMs: Timeout.default(15_000),
    /** A CA certificate (PEM) to trust for this server's TLS, e.g. a NOC's internal CA; null: the system's. */
    caPem: z
      .string()
      .trim()
      .max(20_000)
      .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, 'must be a PEM certificate')
      .nullable()
      .default(null),
  }),
]);
export type ChannelConfig = z.infer<typeof ChannelConfig>;

export const ChannelSecretName = z.enum(['url', 'routingKey', 'password']);
export type ChannelSecretName = z.infer<typeof ChannelSecretName>;

/** A secret to set (a string), to remove (null), or to keep as it is (left out). */
export const ChannelSecrets = z.strictObject({
  url: z.string().trim().min(1).max(2_048).nullable().optional(),
  routingKey: z.string().trim().min(1).max(200).nullable().optional(),
  password: z.string().min(1).max(1_000).nullable().optional(),
});
export type ChannelSecrets = z.infer<typeof ChannelSecrets>;

export const DeliveryOutcome = z.object({
  ok: z.boolean(),
  /** HTTP status, or the SMTP reply code; null when nothing answered. */
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  ms: z.number(),
});
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;

export const Channel = z.object({
  id: z.number().int(),
  name: z.string(),
  enabled: z.boolean(),
  config: ChannelConfig,
  secretsSet: z.object({ url: z.boolean(), routingKey: z.boolean(), password: z.boolean() }),
  /** Where a webhook goes, without path or query (they may hold its token): "https://hooks.slack.com". */
  target: z.string().nullable(),
  createdAt: z.number().int(),
  lastDelivery: DeliveryOutcome.extend({ at: z.number().int() }).nullable(),
  /** Its last deliveries failed: the console raised a channel-failing alert. */
  failing: z.boolean(),
});
export type Channel = z.infer<typeof Channel>;

export const ChannelInput = z.strictObject({
  /** Absent: a new channel. */
  id: z.number().int().optional(),
  name: Name,
  enabled: z.boolean().default(true),
  config: ChannelConfig,
  secrets: ChannelSecrets.default({}),
});
export type ChannelInput = z.infer<typeof ChannelInput>;

export const RouteScope = z.strictObject({ level: z.enum(['fleet', 'zone', 'cluster']), id: Id.nullable().default(null) });

export const Route = z.object({
  id: z.number().int(),
  channelId: z.number().int(),
  enabled: z.boolean(),
  severities: z.array(Severity),
  /** Empty: every kind. */
  kinds: z.array(AlertKind),
  scope: z.object({ level: z.enum(['fleet', 'zone', 'cluster']), id: z.string().nullable() }),
  scopeLabel: z.string(),
  /** Also tell this channel when an alert resolves (and is acknowledged). */
  notifyResolved: z.boolean(),
});
export type Route = z.infer<typeof Route>;

export const RouteInput = z
  .strictObject({
    id: z.number().int().optional(),
    channelId: z.number().int(),
    enabled: z.boolean().default(true),
    severities: z.array(Severity).min(1, 'pick at least one severity').max(3),
    kinds: z.array(AlertKind).max(20).default([]),
    scope: RouteScope.default({ level: 'fleet', id: null }),
    notifyResolved: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.scope.level === 'fleet' && v.scope.id !== null)
      ctx.addIssue({ code: 'custom', path: ['scope', 'id'], message: 'must be empty for the whole fleet' });
    if (v.scope.level !== 'fleet' && v.scope.id === null)
      ctx.addIssue({ code: 'custom', path: ['scope', 'id'], message: `is required for a ${v.scope.level}` });
  });
export type RouteInput = z.infer<typeof RouteInput>;

export const DeliveryState = z.enum(['pending', 'sending', 'sent', 'failed', 'skipped']);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const DeliveryAttempt = DeliveryOutcome.extend({ at: z.number().int() });
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const Delivery = z.object({
  id: z.number().int(),
  channelId: z.number().int(),
  channelName: z.string(),
  routeId: z.number().int().nullable(),
  /** "Send test" from the channel's page. */
  test: z.boolean(),
  alertIds: z.array(z.number().int()),
  summary: z.string(),
  state: DeliveryState,
  attempts: z.array(DeliveryAttempt),
  nextAttemptAt: z.number().int().nullable(),
  createdAt: z.number().int(),
  sentAt: z.number().int().nullable(),
});
export type Delivery = z.infer<typeof Delivery>;
