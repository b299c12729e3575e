// What the audit log says about a call that changed something: a kind and one line a person
// reads. Built from the call's parsed input and its answer only, and only from fields named
// here, so a password, passphrase, API key or webhook URL in an input can never reach the log.
import type { ActionRunSummary } from '../../contract/actions-methods';
import type { Alert, Silence } from '../../contract/alerts';
import type { ImportSummary } from '../../contract/fleet';

export interface CallAudit {
  kind: string;
  detail: string;
}

/** Calls whose lines the area records itself (sign-in, accounts): never recorded twice. */
const SELF_RECORDED = /^(accounts|auth|session|sessions|user|users):/;

/** Input and answer fields that name what a call acted on, never what it set. */
const NAMING_INPUT = ['id', 'ids', 'serverId', 'serverIds', 'runId', 'file', 'action', 'kind'] as const;
const NAMING_OUTPUT = ['alias', 'ip', 'name', 'label'] as const;

const MAX_NAMES = 8;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const clip = (text: string, max = 80): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** "a, b, c and 4 more". */
export function listNames(names: readonly string[], max = MAX_NAMES): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const scalar = (value: unknown): string | null =>
  typeof value === 'string' ? clip(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;

function named(record: unknown, keys: readonly string[]): string[] {
  if (!isRecord(record)) return [];
  const parts: string[] = [];
  for (const key of keys) {
    const value = record[key];
    if (Array.isArray(value)) {
      const items = value.map(scalar).filter((v): v is string => v !== null);
      if (items.length > 0) parts.push(`${key} ${listNames(items)}`);
    } else {
      const text = scalar(value);
      if (text !== null) parts.push(`${key} ${text}`);
    }
  }
  return parts;
}

function actionRun(run: ActionRunSummary): string {
  const params = Object.entries(run.params)
    // A long inline script says little in one line; its name is in the run's own record.
    .filter(([, value]) => value.length <= 80)
    .map(([key, value]) => `${key}=${value}`);
  const servers = listNames(run.servers.map((s) => s.alias));
  return `${run.label} on ${servers}${params.length > 0 ? ` (${params.join(', ')})` : ''}`;
}

function acknowledged(alerts: readonly Alert[], note: unknown): string {
  const subjects = listNames(
    alerts.map((a) => `${a.subject.label}: ${a.summary}`),
    3,
  );
  const text =
    alerts.length === 0
      ? 'Acknowledged no alert (all were already acknowledged)'
      : `Acknowledged ${plural(alerts.length, 'alert')}: ${subjects}`;
  return typeof note === 'string' && note !== '' ? `${text}. Note: ${clip(note, 200)}` : text;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function settings(patch: unknown): string {
  if (!isRecord(patch)) return 'Settings changed';
  // Console settings are numbers and names (intervals, thresholds, the default SSH user), never secrets.
  const changes = Object.entries(patch)
    .map(([key, value]) => [key, scalar(value)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== null)
    .map(([key, value]) => `${key} → ${value}`);
  return changes.length === 0 ? 'Settings saved unchanged' : `Settings: ${changes.join(', ')}`;
}

function imported(summary: ImportSummary, format: unknown): string {
  const parts = [
    plural(summary.servers, 'server'),
    plural(summary.zones, 'zone'),
    plural(summary.clusters, 'cluster'),
    plural(summary.rtpServers, 'RTP server'),
  ];
  return `Imported ${parts.join(', ')}${typeof format === 'string' ? ` from ${format.toUpperCase()}` : ''}`;
}

function deployed(draft: unknown, output: unknown): string {
  const named = isRecord(draft) ? `${scalar(draft['alias']) ?? '?'} (${scalar(draft['ip']) ?? '?'})` : 'a new server';
  const run = isRecord(output) ? scalar(output['deployId']) : null;
  return `Deploy Server on ${named}${run === null ? '' : `, run ${run}`}`;
}

/**
 * The line for a call that succeeded, or null when the call is not one the log keeps (reads, and
 * the calls whose area records its own lines). `changes` is the contract's word: it mutates data
 * or switches what every console shows.
 */
export function describeCall(method: string, changes: boolean, input: unknown, output: unknown): CallAudit | null {
  if (!changes || SELF_RECORDED.test(method)) return null;
  const inputs = isRecord(input) ? input : {};
  switch (method) {
    case 'actions:run':
      return { kind: 'action-run', detail: actionRun(output as ActionRunSummary) };
    case 'actions:cancel':
      return { kind: 'action-cancel', detail: `Cancelled action run ${scalar(inputs['runId']) ?? scalar(inputs['id']) ?? ''}`.trim() };
    case 'alerts:acknowledge':
      return { kind: 'acknowledge', detail: acknowledged(output as Alert[], inputs['note']) };
    case 'alerts:create-silence': {
      const s = output as Silence;
      return { kind: 'silence', detail: `Silenced ${s.scopeLabel} until ${iso(s.endsAt)}: ${clip(s.reason, 200)}` };
    }
    case 'alerts:end-silence': {
      const s = output as Silence;
      return { kind: 'silence-end', detail: `Ended the silence on ${s.scopeLabel} (${clip(s.reason, 200)})` };
    }
    case 'settings:update':
      return { kind: 'setting-change', detail: settings(input) };
    case 'fleet:import':
      return { kind: 'import', detail: imported(output as ImportSummary, inputs['format']) };
    case 'platform:deploy':
      // A deployment is a run like any other (its row in the actions log has the same id).
      return { kind: 'action-run', detail: deployed(inputs['draft'], output) };
  }
  const what = [...named(input, NAMING_INPUT), ...named(output, NAMING_OUTPUT)];
  return { kind: 'change', detail: what.length > 0 ? `${method}: ${what.join('; ')}` : method };
}
