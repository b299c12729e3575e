import type { CallError } from '../../contract/result';

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
}
