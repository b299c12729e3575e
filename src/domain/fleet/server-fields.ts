import type { z } from 'zod';
import type { ServerDraft } from '../../contract/fleet';
import type { FieldIssue } from '../errors';

// One map from a server field's path (as zod, the host and the domain rules name it) to the words
// a person reads on the form. Errors are shown beside their field with these words, never as
// `draft.config.ports.udp`; the key type lists every leaf of ServerDraft, so a new field without a
// label does not compile (and a unit test walks the schema itself to the same end).

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: NonNullable<T[K]> extends readonly unknown[]
    ? `${P}${K}`
    : NonNullable<T[K]> extends object
      ? Leaves<NonNullable<T[K]>, `${P}${K}.`>
      : `${P}${K}`;
}[keyof T & string];

export type ServerFieldPath = Leaves<ServerDraft>;

/** Labels in the order the form shows them (Summary, then Config): "the first error" is the first here. */
export const SERVER_FIELD_LABELS: Readonly<Record<ServerFieldPath, string>> = {
  ip: 'IP address',
  alias: 'Alias',
  type: 'Type',
  zoneId: 'Zone',
  clusterId: 'Cluster',
  channels: 'Channels',
  cps: 'CPS',
  expiresAt: 'Expires',
  adminState: 'Admin state',
  'ssh.host': 'SSH host',
  'ssh.port': 'SSH port',
  'ssh.user': 'SSH user',
  'ssh.auth': 'SSH authentication',
  'ssh.keyPath': 'SSH key path',
  'ssh.jumpHost': 'Jump host',
  'config.interconnect.terminationIngress': 'Termination ingress',
  'config.interconnect.terminationEgress': 'Termination egress',
  'config.interconnect.originationIngress': 'Origination ingress',
  'config.interconnect.originationEgress': 'Origination egress',
  'config.uacAuth': 'UAC Auth',
  'config.webrtcTls': 'WebRTC and TLS',
  'config.fqdn': 'FQDN',
  'config.autoUpgrade': 'Auto Upgrade',
  'config.disableUacPing': 'Disable UAC Ping',
  'config.uacLocationSharing': 'UAC Location Array Sharing',
  'config.tlsInternals': 'TLS Internals',
  'config.restrictDirect': 'Restrict Direct',
  'config.tcpSipTrace': 'TCP SIP Trace',
  'config.anyReg': 'Use AnyReg Server',
  'config.processingZone': 'Processing zone',
  'config.ports.udp': 'UDP port',
  'config.ports.tcp': 'TCP port',
  'config.ports.tls': 'TLS port',
  'config.capacityFailover.enabled': 'Capacity failover',
  'config.capacityFailover.targetId': 'Failover target',
  'config.tlsPin': 'Pinned TLS certificate',
};

const ORDER = Object.keys(SERVER_FIELD_LABELS);

/** Which tab of the server page holds a field (Cluster is on both; Summary comes first). */
export function serverFieldTab(field: ServerFieldPath): 'summary' | 'config' {
  return field.startsWith('config.') ? 'config' : 'summary';
}

/**
 * The server field a path names: the contract wraps a draft being updated as `draft.…`, so that
 * prefix is dropped. null for anything that is not one field of the form (the id, the whole input).
 */
export function serverFieldOf(path: string): ServerFieldPath | null {
  const bare = path.startsWith('draft.') ? path.slice('draft.'.length) : path;
  return Object.prototype.hasOwnProperty.call(SERVER_FIELD_LABELS, bare) ? (bare as ServerFieldPath) : null;
}

export interface LabelledIssue {
  field: ServerFieldPath;
  label: string;
  message: string;
}

/**
 * A refusal put in a person's words, keyed by the form's field. The host writes schema issues as
 * "<path> <rule>." (`draft.channels must be at least 1.`): the path becomes the label. The domain
 * rules already write sentences ("IP 10.0.0.1 is already used…"): those are kept as they are.
 */
export function labelIssue(issue: { field: string; message: string }): LabelledIssue | null {
  const field = serverFieldOf(issue.field);
  if (field === null) return null;
  const label = SERVER_FIELD_LABELS[field];
  for (const prefix of [`${issue.field} `, `${field} `]) {
    if (issue.message.startsWith(prefix)) return { field, label, message: `${label} ${issue.message.slice(prefix.length)}` };
  }
  return { field, label, message: issue.message };
}

/** Labelled issues in form order, one per field (the first said about it), the rest left out. */
export function labelIssues(issues: readonly { field: string; message: string }[]): {
  labelled: LabelledIssue[];
  other: { field: string; message: string }[];
} {
  const byField = new Map<ServerFieldPath, LabelledIssue>();
  const other: { field: string; message: string }[] = [];
  for (const issue of issues) {
    const labelled = labelIssue(issue);
    if (labelled === null) other.push(issue);
    else if (!byField.has(labelled.field)) byField.set(labelled.field, labelled);
  }
  const labelled = [...byField.values()].sort((a, b) => ORDER.indexOf(a.field) - ORDER.indexOf(b.field));
  return { labelled, other };
}

/** A schema issue as the rule a person reads after the label ("must be 1–65535", "is required"). */
export function ruleOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `has unknown field(s): ${issue.keys.join(', ')}`;
    case 'invalid_type':
      if (issue.expected === 'number' || issue.expected === 'int')
        return issue.expected === 'int' ? 'must be a whole number' : 'must be a number';
      return `must be ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (!issue.message.startsWith('Too small')) return issue.message;
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'is required' : `must be at least ${String(issue.minimum)} characters`;
      return issue.inclusive === false ? `must be more than ${String(issue.minimum)}` : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (!issue.message.startsWith('Too big')) return issue.message;
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      return issue.inclusive === false ? `must be less than ${String(issue.maximum)}` : `must be at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/** Every schema issue of a draft (zod reports them all), as field issues in a person's words. */
export function draftSchemaIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = prefix + issue.path.map(String).join('.');
    const field = serverFieldOf(path);
    const rule = ruleOf(issue).replace(/\.$/, '');
    return field === null ? { field: path, message: `${path} ${rule}.` } : { field, message: `${SERVER_FIELD_LABELS[field]} ${rule}.` };
  });
}
