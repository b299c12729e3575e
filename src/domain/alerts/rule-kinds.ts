// What each kind of alert rule watches, which values it uses, its built-in defaults (what a user
// who configures nothing gets) and the checks a rule's values must pass. One list: the engine,
// the rule editor, the CLI and the docs all read it.
import type { AlertKind, AlertRuleKind, RuleField, RuleOverride, RuleParams } from '../../contract/alerts';
import type { FieldIssue } from '../errors';

export interface RuleKindInfo {
  label: string;
  /** One line for the rule editor. */
  help: string;
  /** Read from every probe sample (true), or checked once a minute. */
  perSample: boolean;
  /** The values this kind uses, besides enabled, severity and renotifyMin. */
  fields: readonly RuleField[];
  /** What `threshold` means here, for labels: "%", "ms", "days", "hours". */
  thresholdUnit: string | null;
  /** Built-in defaults: a fleet with no rules of its own gets these. */
  defaults: RuleParams;
}

const BASE = { raiseAfter: 1, window: 1, clearAfter: 1, threshold: 0, probe: 'sip', sipClass: '5xx', renotifyMin: 0 } as const;

export const RULE_KINDS: Readonly<Record<AlertRuleKind, RuleKindInfo>> = {
  'consecutive-failures': {
    label: 'Server down',
    help: 'Raised after N probes in a row are lost (SIP by default: the server takes no calls), cleared after K answers in a row.',
    perSample: true,
    fields: ['probe', 'raiseAfter', 'clearAfter'],
    thresholdUnit: null,
    defaults: { ...BASE, enabled: true, severity: 'critical', raiseAfter: 3, window: 3, clearAfter: 2, renotifyMin: 60 },
  },
  'sip-loss': {
    label: 'SIP loss',
    help: 'Raised when the share of SIP OPTIONS probes lost over the last M probes reaches the threshold; cleared after K answers in a row once it is below.',
    perSample: true,
    fields: ['threshold', 'window', 'clearAfter'],
    thresholdUnit: '%',
    defaults: { ...BASE, enabled: false, severity: 'warning', threshold: 20, window: 20, clearAfter: 5, probe: 'sip' },
  },
  'icmp-loss': {
    label: 'ICMP loss',
    help: 'Raised when the share of pings lost over the last M pings reaches the threshold; cleared after K replies in a row once it is below.',
    perSample: true,
    fields: ['threshold', 'window', 'clearAfter'],
    thresholdUnit: '%',
    defaults: { ...BASE, enabled: false, severity: 'warning', threshold: 20, window: 20, clearAfter: 5, probe: 'icmp' },
  },
  latency: {
    label: 'Latency',
    help: 'Raised when N of the last M answers took longer than the threshold; cleared after K answers in a row within it. Lost probes do not count either way.',
    perSample: true,
    fields: ['probe', 'threshold', 'raiseAfter', 'window', 'clearAfter'],
    thresholdUnit: 'ms',
    defaults: { ...BASE, enabled: false, severity: 'warning', threshold: 250, raiseAfter: 3, window: 5, clearAfter: 3, probe: 'sip' },
  },
  'sip-class': {
    label: 'SIP answer class',
    help: 'Raised when N of the last M SIP answers are in the class (503 is counted apart from the other 5xx); cleared after K answers of another class.',
    perSample: true,
    fields: ['sipClass', 'raiseAfter', 'window', 'clearAfter'],
    thresholdUnit: null,
    defaults: { ...BASE, enabled: false, severity: 'warning', sipClass: '503', raiseAfter: 3, window: 5, clearAfter: 3 },
  },
  'cert-expiry': {
    label: 'Certificate expiry',
    help: 'Raised when a certificate assigned to the server expires within the threshold (days), or has expired.',
    perSample: false,
    fields: ['threshold'],
    thresholdUnit: 'days',
    defaults: { ...BASE, enabled: true, severity: 'warning', threshold: 14, renotifyMin: 1_440 },
  },
  'cert-served': {
    label: 'Certificate served wrong',
    help: 'Raised when the last TLS handshake check found a server serving another certificate than the one assigned for a SIP domain, an expired chain, a missing intermediate, or no TLS at all; cleared when a check finds them all right.',
    perSample: false,
    fields: [],
    thresholdUnit: null,
    defaults: { ...BASE, enabled: true, severity: 'warning', renotifyMin: 1_440 },
  },
  'update-pending': {
    label: 'Pending update',
    help: '"There\'s a pending update on the server" for longer than the threshold (hours).',
    perSample: false,
    fields: ['threshold'],
    thresholdUnit: 'hours',
    defaults: { ...BASE, enabled: true, severity: 'info', threshold: 72 },
  },
  'apiban-sync': {
    label: 'APIBAN sync failing',
    help: 'The last APIBAN sync failed (only while an APIBAN key is set), or applying the list by schedule failed on a server. Fleet-wide: zone, cluster and server rules do not apply.',
    perSample: false,
    fields: [],
    thresholdUnit: null,
    defaults: { ...BASE, enabled: true, severity: 'warning' },
  },
  'load-poll': {
    label: 'Load poll failing',
    help: 'Raised when N load polls over SSH in a row fail (unreachable, refused, unreadable); cleared after K good polls.',
    perSample: false,
    fields: ['raiseAfter', 'clearAfter'],
    thresholdUnit: null,
    defaults: { ...BASE, enabled: false, severity: 'warning', raiseAfter: 3, window: 3, clearAfter: 1 },
  },
};

export const RULE_KIND_NAMES = Object.keys(RULE_KINDS) as AlertRuleKind[];

/** The kinds whose rule is fleet-wide only. */
export const FLEET_ONLY_KINDS: readonly AlertRuleKind[] = ['apiban-sync'];

/** Labels for every alert kind, the rule kinds and Switchyard's own. */
export const ALERT_KIND_LABEL: Readonly<Record<AlertKind, string>> = {
  ...(Object.fromEntries(RULE_KIND_NAMES.map((k) => [k, RULE_KINDS[k].label])) as Record<AlertRuleKind, string>),
  'channel-failing': 'Delivery channel failing',
};

export const COMMON_FIELDS: readonly RuleField[] = ['enabled', 'severity', 'renotifyMin'];

/** Every value a kind reads, the common ones first. */
export function fieldsOf(kind: AlertRuleKind): RuleField[] {
  return [...COMMON_FIELDS, ...RULE_KINDS[kind].fields];
}

const FIELD_LABEL: Record<RuleField, string> = {
  enabled: 'Enabled',
  severity: 'Severity',
  raiseAfter: 'Raise after (N)',
  window: 'Window (M)',
  clearAfter: 'Clear after (K)',
  threshold: 'Threshold',
  probe: 'Probe',
  sipClass: 'SIP class',
  renotifyMin: 'Re-notify after (minutes)',
};

export function fieldLabel(field: RuleField): string {
  return FIELD_LABEL[field];
}

/**
 * Values a rule of this kind may not hold: fields the kind does not use (almost always a mistake
 * that would otherwise be silently ignored) and limits schemas cannot see alone.
 */
export function overrideIssues(kind: AlertRuleKind, override: RuleOverride): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const used = new Set(fieldsOf(kind));
  const info = RULE_KINDS[kind];
  for (const field of Object.keys(override) as RuleField[]) {
    if (!used.has(field)) issues.push({ field: `params.${field}`, message: `${info.label} rules do not use "${fieldLabel(field)}".` });
  }
  if (override.threshold !== undefined) {
    if (info.thresholdUnit === '%' && override.threshold > 100)
      issues.push({ field: 'params.threshold', message: 'Threshold must be a percentage, 0–100.' });
    if (info.thresholdUnit === '%' && override.threshold === 0)
      issues.push({ field: 'params.threshold', message: 'Threshold must be above 0 %: at 0 % every probe would raise the alert.' });
    if (info.thresholdUnit === 'ms' && override.threshold <= 0)
      issues.push({ field: 'params.threshold', message: 'Threshold must be above 0 ms.' });
    if (info.thresholdUnit === 'days' && override.threshold > 3_650)
      issues.push({ field: 'params.threshold', message: 'Threshold must be at most 3650 days.' });
    if (info.thresholdUnit === 'hours' && override.threshold > 87_600)
      issues.push({ field: 'params.threshold', message: 'Threshold must be at most 87600 hours.' });
  }
  return issues;
}

/** N of M: a full rule (after merging) must not need more bad samples than its window holds. */
export function paramsIssues(kind: AlertRuleKind, params: RuleParams): FieldIssue[] {
  const used = new Set(fieldsOf(kind));
  if (used.has('raiseAfter') && used.has('window') && params.raiseAfter > params.window) {
    return [
      {
        field: 'params.raiseAfter',
        message: `Raise after (N = ${params.raiseAfter}) cannot be more than the window (M = ${params.window}): the rule could never raise.`,
      },
    ];
  }
  return [];
}

/** The window a rule's ring keeps: N in a row needs N; loss needs M. */
export function windowOf(kind: AlertRuleKind, params: RuleParams): number {
  if (kind === 'consecutive-failures' || kind === 'load-poll') return params.raiseAfter;
  return params.window;
}

/** Bad samples needed to raise: N, or for loss rules the share of the window (at least one). */
export function raiseCountOf(kind: AlertRuleKind, params: RuleParams): number {
  if (kind === 'sip-loss' || kind === 'icmp-loss') return Math.max(1, Math.ceil((params.threshold * params.window) / 100 - 1e-9));
  return params.raiseAfter;
}
