import { z } from 'zod';
import {
  Alert,
  AlertCounts,
  AlertFilter,
  AlertRule,
  AlertRuleKind,
  DurationText,
  EffectiveRule,
  Hold,
  Maintenance,
  RuleOverride,
  Scope,
  Silence,
} from './alerts';
import { Channel, ChannelInput, Delivery, DeliveryOutcome, Route, RouteInput } from './alerts-delivery';
import { Id } from './fleet';
import { command, query, withRole } from './spec';

// Alerts that work with no window open: rules, the alerts they raise, acknowledgement, silences
// and the maintenance the console's own actions set, delivery channels and routes. Reads are
// allowed on a wall display and a snapshot; every change is a command.

const Note = z.string().trim().max(1_000);
const Reason = z.string().trim().min(1, 'is required: say why').max(500);
const Time = z.number().int().min(0).max(8.64e15);

export const SilenceInput = z
  .strictObject({
    scope: Scope,
    /** How long from now ("1h", "30m")… */
    for: DurationText.optional(),
    /** …or until when (UTC ms). */
    until: Time.optional(),
    reason: Reason,
  })
  .superRefine((v, ctx) => {
    if ((v.for === undefined) === (v.until === undefined))
      ctx.addIssue({ code: 'custom', path: ['for'], message: 'give either a duration or an end time' });
  });
export type SilenceInput = z.input<typeof SilenceInput>;

export const alertsMethods = {
  'alerts:list': query(AlertFilter, z.object({ alerts: z.array(Alert), total: z.number().int() })),
  'alerts:get': query(z.strictObject({ id: z.number().int() }), Alert.extend({ deliveries: z.array(Delivery) })),
  'alerts:counts': query(z.strictObject({}), AlertCounts),
  'alerts:acknowledge': withRole(
    'operator',
    command(
      z.strictObject({ ids: z.array(z.number().int()).min(1, 'pick at least one alert').max(10_000), note: Note.default('') }),
      z.array(Alert),
    ),
  ),
  'alerts:export': query(
    z.strictObject({ format: z.enum(['json', 'csv']), filter: AlertFilter.default({ state: 'all', limit: 5_000 }) }),
    z.object({ text: z.string(), fileName: z.string() }),
  ),
  /** Every rule row (fleet, zone, cluster and server), and the built-in defaults. */
  'alerts:list-rules': query(z.strictObject({}), z.object({ rules: z.array(AlertRule), defaults: z.array(EffectiveRule) })),
  /** The rules as they apply to one server, each value with where it comes from. */
  'alerts:effective-rules': query(z.strictObject({ serverId: Id }), z.array(EffectiveRule)),
  /** Sets (replaces) the values a scope overrides for one kind; an empty override removes the row. */
  'alerts:set-rule': command(z.strictObject({ kind: AlertRuleKind, scope: Scope, params: RuleOverride }), AlertRule.nullable()),
  'alerts:delete-rule': command(z.strictObject({ id: z.number().int() }), z.object({ deleted: z.boolean() })),
  'alerts:list-channels': query(z.strictObject({}), z.array(Channel)),
  'alerts:save-channel': command(ChannelInput, Channel),
  'alerts:delete-channel': command(z.strictObject({ id: z.number().int() }), z.object({ deleted: z.boolean() })),
  /** Sends a test message through the channel now, once, and says what came back. */
  'alerts:test-channel': command(z.strictObject({ id: z.number().int() }), DeliveryOutcome),
  'alerts:list-routes': query(z.strictObject({}), z.array(Route)),
  'alerts:save-route': command(RouteInput, Route),
  'alerts:delete-route': command(z.strictObject({ id: z.number().int() }), z.object({ deleted: z.boolean() })),
  'alerts:list-deliveries': query(
    z.strictObject({ channelId: z.number().int().optional(), limit: z.number().int().min(1).max(1_000).default(100) }),
    z.array(Delivery),
  ),
  'alerts:list-silences': query(z.strictObject({ includeEnded: z.boolean().default(false) }), z.array(Silence)),
  'alerts:create-silence': withRole('operator', command(SilenceInput, Silence)),
  'alerts:end-silence': withRole('operator', command(z.strictObject({ id: z.number().int() }), Silence)),
  'alerts:list-maintenance': query(z.strictObject({ includeEnded: z.boolean().default(false) }), z.array(Maintenance)),
  /** What holds each server's notifications right now (maintenance or a silence), by server id. */
  'alerts:holds': query(z.strictObject({}), z.record(z.string(), Hold)),
};

/** Pushed when alerts, holds, rules, channels or routes changed (at most about once a second). */
export const AlertsChangedPush = z.object({
  counts: AlertCounts,
  what: z.array(z.enum(['alerts', 'holds', 'rules', 'channels', 'deliveries'])),
});
export type AlertsChangedPush = z.infer<typeof AlertsChangedPush>;

/** The desktop channel: a notification to show (Electron's main process, or the page). */
export const AlertNotifyPush = z.object({
  title: z.string(),
  body: z.string(),
  severity: z.enum(['critical', 'warning', 'info', 'resolved']),
  /** Opened when the notification is clicked; null for an alert without a server. */
  serverId: z.string().nullable(),
  alertIds: z.array(z.number().int()),
});
export type AlertNotifyPush = z.infer<typeof AlertNotifyPush>;
