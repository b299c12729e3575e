import type { ErrorCode, Result } from '../../../contract/result';

// The reply envelope checked by hand, exactly as the contract's CallError schema checks it
// (envelope.test.ts holds the two to the same verdicts): the page's first scripts carry no schema
// library, which loads with the first screen that needs one.

/** Every error code; a Record so a code added to the contract and missing here fails to compile. */
const ERROR_CODES: Readonly<Record<ErrorCode, true>> = {
  'invalid-input': true,
  'not-found': true,
  conflict: true,
  'read-only': true,
  'unknown-method': true,
  unauthorized: true,
  forbidden: true,
  internal: true,
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What `CallError.safeParse(value).success` answers. */
export function isCallError(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (typeof value.code !== 'string' || !Object.hasOwn(ERROR_CODES, value.code) || typeof value.message !== 'string') return false;
  if (value.field !== undefined && typeof value.field !== 'string') return false;
  if (value.row !== undefined && !(typeof value.row === 'number' && Number.isSafeInteger(value.row))) return false;
  if (value.issues === undefined) return true;
  return (
    Array.isArray(value.issues) &&
    value.issues.every((issue: unknown) => isRecord(issue) && typeof issue.field === 'string' && typeof issue.message === 'string')
  );
}

/** A Switchyard reply: `{ ok: true, data }`, or `{ ok: false, error }` with a well-formed error. */
export function isResult(value: unknown): value is Result<unknown> {
  if (!isRecord(value) || !('ok' in value)) return false;
  if (value.ok === true) return true;
  return value.ok === false && 'error' in value && isCallError(value.error);
}
