import type { CallError } from '../../contract/result';
import { labelIssues, type LabelledIssue } from '../../domain/fleet/server-fields';

/**
 * A call's refusal spread over the form: each field path (`config.fqdn`, `ip`) maps to its
 * message; what names no known field stays as the form's headline.
 */
export class FieldErrors {
  readonly byField: ReadonlyMap<string, string>;
  readonly headline: string | null;

  constructor(error: CallError | null = null) {
    const map = new Map<string, string>();
    if (error) {
      for (const issue of error.issues ?? []) if (!map.has(issue.field)) map.set(issue.field, issue.message);
      if (error.field && !map.has(error.field)) map.set(error.field, error.message);
    }
    this.byField = map;
    this.headline = error ? error.message : null;
  }

  get(field: string): string | null {
    return this.byField.get(field) ?? null;
  }

  /** How many errors fall under a path prefix (to badge a tab holding them). */
  countUnder(prefixes: readonly string[]): number {
    let n = 0;
    for (const field of this.byField.keys()) if (prefixes.some((p) => field === p || field.startsWith(`${p}.`))) n++;
    return n;
  }

  get size(): number {
    return this.byField.size;
  }

  /** The field to focus: the first one refused (the order the form shows them in, for a server). */
  get first(): string | null {
    return this.byField.keys().next().value ?? null;
  }
}

/** "Not saved: …" for a list of field messages: the one message, or how many and the first. */
export function headlineOf(messages: readonly string[]): string {
  const [first] = messages;
  if (first === undefined) return '';
  return messages.length === 1 ? first : `${messages.length} fields to fix. ${first}`;
}

/** Field errors of a server draft in the form's words and order, from labelled issues (a local check). */
export function serverFieldErrorsOf(labelled: readonly LabelledIssue[]): FieldErrors {
  const issues = labelled.map(({ field, message }) => ({ field, message }));
  return new FieldErrors(issues.length === 0 ? null : { code: 'invalid-input', message: headlineOf(issues.map((i) => i.message)), issues });
}

/**
 * The host's refusal of a server draft, put beside the form's fields: `draft.config.ports.udp
 * must be 1–65535.` becomes "UDP port must be 1–65535." under the UDP port box. A refusal that
 * names no field of the form (a lost connection, a read-only host) stays the headline alone.
 * `found` (the form's own check of the same draft) adds the fields the host did not reach.
 */
export function serverFieldErrors(error: CallError, found: readonly LabelledIssue[] = []): FieldErrors {
  const raw = error.issues ?? (error.field === undefined ? [] : [{ field: error.field, message: error.message }]);
  // The host stops at the schema before its fleet rules: what the form found itself fills the rest.
  const { labelled, other } = labelIssues(raw.length === 0 ? [] : [...raw, ...found]);
  if (labelled.length === 0) return new FieldErrors({ code: error.code, message: other[0]?.message ?? error.message });
  const messages = [...labelled.map((l) => l.message), ...other.map((o) => o.message)];
  return new FieldErrors({
    code: error.code,
    message: headlineOf(messages),
    issues: labelled.map(({ field, message }) => ({ field, message })),
  });
}
