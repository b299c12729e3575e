import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallError, ErrorCode } from '../../../contract/result';
import { isCallError, isResult } from './envelope';

const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean());
const issue = fc.oneof(fc.record({ field, message: field }, { requiredKeys: [] }), field, fc.array(field, { maxLength: 2 }));
const errorLike = fc.record(
  {
    code: fc.oneof(fc.constantFrom(...ErrorCode.options), fc.string(), fc.integer()),
    message: field,
    field,
    row: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(undefined), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
    issues: fc.oneof(fc.constant(undefined), fc.array(issue, { maxLength: 3 }), issue),
  },
  { requiredKeys: [] },
);

describe('the reply envelope checked by hand', () => {
  it('agrees with the contract schema on every error-like value', () => {
    fc.assert(
      fc.property(fc.oneof(errorLike, field, fc.array(field)), (value) => {
        expect(isCallError(value)).toBe(CallError.safeParse(value).success);
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts a well-formed refusal with every optional part, and any success', () => {
    const error = {
      code: 'invalid-input',
      message: 'Channels must be at least 1.',
      field: 'channels',
      row: 3,
      issues: [{ field: 'channels', message: 'x' }],
    };
    expect(CallError.safeParse(error).success).toBe(true);
    expect(isResult({ ok: false, error })).toBe(true);
    expect(isResult({ ok: true, data: null })).toBe(true);
  });

  it('refuses what is not a Switchyard reply', () => {
    for (const value of [
      null,
      [],
      'ok',
      { ok: 'yes' },
      { ok: false },
      { ok: false, error: { code: 'teapot', message: 'no' } },
      { data: 1 },
    ]) {
      expect(isResult(value)).toBe(false);
    }
  });
});
