import type { ErrorCode } from '../contract/result';

/**
 * A refusal the user can act on: what was wrong, in words, and which field to fix. Services throw
 * it; the host turns it into the contract's error envelope.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly row: number | undefined;
  readonly issues: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; row?: number; issues?: FieldIssue[] } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = options.field;
    this.row = options.row;
    this.issues = options.issues;
  }
}

export interface FieldIssue {
  field: string;
  message: string;
  /** The value is fine on its own but clashes with another record (a duplicate IP or name). */
  conflict?: boolean;
}

/** Throws one error carrying every issue, the first one as its headline. */
export function refuseIssues(issues: FieldIssue[], row?: number): void {
  const first = issues[0];
  if (!first) return;
  const code = issues.some((i) => i.conflict) ? 'conflict' : 'invalid-input';
  const plain = issues.map(({ field, message }) => ({ field, message }));
  throw new DomainError(code, first.message, { field: first.field, issues: plain, ...(row === undefined ? {} : { row }) });
}

export function invalid(field: string, message: string): DomainError {
  return new DomainError('invalid-input', message, { field });
}

export function notFound(what: string, id: string): DomainError {
  return new DomainError('not-found', `${what} ${id} does not exist (it may have been deleted).`);
}

export function conflict(field: string, message: string): DomainError {
  return new DomainError('conflict', message, { field });
}
