import { z } from 'zod';
import { Id } from './fleet';

// Alert rules, alerts and their holds (maintenance, silences): the shapes every layer shares.
// The methods are in alerts-methods.ts, delivery channels and routes in alerts-delivery.ts.

/** What a rule watches. Sample rules read every probe; the rest are checked once a minute. */
export const AlertRuleKind = z.enum([
  'consecutive-failures',
  'sip-loss',
  'icmp-loss',
  'latency',
  'sip-class',
  'cert-expiry',
  'cert-served',
  'update-pending',
  'apiban-sync',
  'load-poll',
]);
export type AlertRuleKind = z.infer<typeof AlertRuleKind>;

/** Alerts also come from Switchyard itself: a delivery channel that keeps failing. */
export const AlertKind = z.enum([...AlertRuleKind.options, 'channel-failing']);
export type AlertKind = z.infer<typeof AlertKind>;

export const Severity = z.enum(['critical', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Which probes a rule reads: SIP (any transport), ICMP, the TCP connect, or any of them. */
export const ProbeSelector = z.enum(['sip', 'icmp', 'tcp', 'any']);
export type ProbeSelector = z.infer<typeof ProbeSelector>;

/** A SIP answer class; 503 is counted apart from the other 5xx. */
export const SipClass = z.enum(['4xx', '5xx', '503', '6xx']);
export type SipClass = z.infer<typeof SipClass>;

export const ScopeLevel = z.enum(['fleet', 'zone', 'cluster', 'server']);
export type ScopeLevel = z.infer<typeof ScopeLevel>;

/** Where a rule (or a silence) applies; `id` is the zone, cluster or server id, null for the fleet. */
export const Scope = z.strictObject({ level: ScopeLevel, id: Id.nullable().default(null) }).superRefine((v, ctx) => {
  if (v.level === 'fleet' && v.id !== null) ctx.addIssue({ code: 'custom', path: ['id'], message: 'must be empty for the whole fleet' });
  if (v.level !== 'fleet' && v.id === null) ctx.addIssue({ code: 'custom', path: ['id'], message: `is required for a ${v.level}` });
});
export type Scope = z.infer<typeof Scope>;

const whole = (min: number, max: number, unit = '') =>
  z.number().int('must be a whole number').min(min, `must be at least ${min}${unit}`).max(max, `must be at most ${max}${unit}`);

/**
 * Every value a rule can hold. A fleet rule is complete (built-in defaults fill what it leaves
 * out); a zone, cluster or server rule holds only the values it overrides. Which values a kind
 * uses is said in src/domain/alerts/rule-kinds.ts; the others are refused there, by name.
 */
export const RuleParams = z.strictObject({
  enabled: z.boolean(),
  severity: Severity,
  /** Raise after this many bad samples among the last `window` (N of M). */
  raiseAfter: whole(1, 1000),
  /** How many recent samples (or polls) the rule looks at (M). */
  window: whole(1, 1000),
  /** Clear after this many good samples in a row (K). */
  clearAfter: whole(1, 1000),
  /** Loss %, latency ms, days before expiry or hours pending: the kind says which. */
  threshold: z.number().min(0, 'must not be negative').max(1_000_000, 'is too large'),
  probe: ProbeSelector,
  sipClass: SipClass,
  /** Notify again after this many minutes while firing and not acknowledged; 0: never. */
  renotifyMin: whole(0, 10_080, ' minutes'),
});
export type RuleParams = z.infer<typeof RuleParams>;
export const RuleOverride = RuleParams.partial();
export type RuleOverride = z.infer<typeof RuleOverride>;
export type RuleField = keyof RuleParams;

export const AlertRule = z.object({
  id: z.number().int(),
  kind: AlertRuleKind,
  scope: z.object({ level: ScopeLevel, id: z.string().nullable() }),
  /** The zone, cluster or server name as shown (alias for a server); "Fleet" for the fleet. */
  scopeLabel: z.string(),
  params: RuleOverride,
  updatedAt: z.number().int(),
  updatedBy: z.string(),
});
export type AlertRule = z.infer<typeof AlertRule>;

/** Where an effective value comes from: Switchyard's default, or the rule at that scope. */
export const ValueSource = z.object({ level: z.enum(['default', ...ScopeLevel.options]), label: z.string() });
export type ValueSource = z.infer<typeof ValueSource>;

export const EffectiveRule = z.object({
  kind: AlertRuleKind,
  params: RuleParams,
  /** One entry per value the kind uses. */
  sources: z.partialRecord(z.enum(RuleParams.keyof().options), ValueSource),
});
export type EffectiveRule = z.infer<typeof EffectiveRule>;

export const AlertState = z.enum(['firing', 'acknowledged', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

export const HoldKind = z.enum(['maintenance', 'silence']);
export type HoldKind = z.infer<typeof HoldKind>;

/** Why notifications for a server are held right now. */
export const Hold = z.object({
  kind: HoldKind,
  /** The maintenance or silence id. */
  id: z.number().int(),
  /** null: until the action that started it ends (then its grace period). */
  until: z.number().int().nullable(),
  reason: z.string(),
  by: z.string(),
});
export type Hold = z.infer<typeof Hold>;

export const AlertSubjectType = z.enum(['server', 'fleet', 'channel']);

export const Alert = z.object({
  id: z.number().int(),
  kind: AlertKind,
  subject: z.object({ type: AlertSubjectType, id: z.string().nullable(), label: z.string() }),
  serverId: z.string().nullable(),
  ip: z.string().nullable(),
  zoneId: z.string().nullable(),
  clusterId: z.string().nullable(),
  severity: Severity,
  state: AlertState,
  /** Raised and cleared again and again: notified once, resolved only when it has been steady. */
  flapping: z.boolean(),
  /** In words, with the figures ("SIP: 3 probes lost in a row"). */
  summary: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  /** Where the rule that raised it was set ("cluster core-us"). */
  ruleSource: z.string(),
  startedAt: z.number().int(),
  updatedAt: z.number().int(),
  acknowledgedAt: z.number().int().nullable(),
  acknowledgedBy: z.string().nullable(),
  ackNote: z.string().nullable(),
  resolvedAt: z.number().int().nullable(),
  resolveNote: z.string().nullable(),
  /** When the first notification went out; null while held or not yet sent. */
  notifiedAt: z.number().int().nullable(),
  notifications: z.number().int(),
  /** Set while its server is in maintenance or silenced. */
  held: Hold.nullable(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertCounts = z.object({
  /** Firing and not acknowledged, not held. */
  firing: z.number().int(),
  acknowledged: z.number().int(),
  /** Firing while held by maintenance or a silence. */
  held: z.number().int(),
  critical: z.number().int(),
});
export type AlertCounts = z.infer<typeof AlertCounts>;

export const AlertFilter = z.strictObject({
  /** open: firing or acknowledged. */
  state: z.enum(['open', 'firing', 'acknowledged', 'resolved', 'all']).default('open'),
  serverId: Id.optional(),
  kind: AlertKind.optional(),
  severity: Severity.optional(),
  text: z.string().trim().max(200).optional(),
  /** Only alerts started strictly before this (UTC ms): the next page. */
  before: z.number().int().optional(),
  limit: z.number().int().min(1).max(5_000).default(200),
});
export type AlertFilter = z.infer<typeof AlertFilter>;

export const Silence = z.object({
  id: z.number().int(),
  scope: z.object({ level: ScopeLevel, id: z.string().nullable() }),
  scopeLabel: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  /** Set when ended before its time. */
  endedAt: z.number().int().nullable(),
  endedBy: z.string().nullable(),
  reason: z.string(),
  createdBy: z.string(),
  active: z.boolean(),
});
export type Silence = z.infer<typeof Silence>;

export const Maintenance = z.object({
  id: z.number().int(),
  serverId: z.string(),
  alias: z.string(),
  /** The action run that put the server in maintenance. */
  runId: z.string().nullable(),
  reason: z.string(),
  startsAt: z.number().int(),
  /** null while the action still runs; then its end plus the grace period. */
  endsAt: z.number().int().nullable(),
  createdBy: z.string(),
  active: z.boolean(),
});
export type Maintenance = z.infer<typeof Maintenance>;

/** "1h", "30m", "2d", "90s", "1h30m": a duration as people write it. */
export const DurationText = z
  .string()
  .trim()
  .regex(/^(?:\d+[smhdw])+$/i, 'must be a duration such as 30m, 1h, 2d or 1h30m');
