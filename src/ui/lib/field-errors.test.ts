import { describe, expect, it } from 'vitest';
import { FieldErrors, headlineOf, serverFieldErrors } from './field-errors';

describe('serverFieldErrors', () => {
  it("puts the host's refusal of an update beside the form's fields, in words, first field first", () => {
    const errors = serverFieldErrors({
      code: 'invalid-input',
      message: 'draft.config.ports.udp must be 1–65535.',
      field: 'draft.config.ports.udp',
      issues: [
        { field: 'draft.config.ports.udp', message: 'draft.config.ports.udp must be 1–65535.' },
        { field: 'draft.channels', message: 'draft.channels must be at least 1.' },
      ],
    });
    expect([...errors.byField.entries()]).toEqual([
      ['channels', 'Channels must be at least 1.'],
      ['config.ports.udp', 'UDP port must be 1–65535.'],
    ]);
    expect(errors.first).toBe('channels');
    expect(errors.headline).toBe('2 fields to fix. Channels must be at least 1.');
    expect(errors.countUnder(['config'])).toBe(1);
  });

  it('adds what the form found itself that the host did not reach, without doubling a field', () => {
    const errors = serverFieldErrors(
      {
        code: 'invalid-input',
        message: 'cps must be at least 1.',
        field: 'cps',
        issues: [{ field: 'cps', message: 'cps must be at least 1.' }],
      },
      [
        { field: 'ip', label: 'IP address', message: 'IP 10.0.0.1 is already used by server "sw-1".' },
        { field: 'cps', label: 'CPS', message: 'CPS must be at least 1.' },
      ],
    );
    expect([...errors.byField.keys()]).toEqual(['ip', 'cps']);
    expect(errors.get('cps')).toBe('CPS must be at least 1.');
  });

  it('keeps a refusal that names no field of the form as the headline alone', () => {
    const errors = serverFieldErrors({ code: 'read-only', message: 'This console is read-only.' });
    expect(errors.size).toBe(0);
    expect(errors.headline).toBe('This console is read-only.');
    expect(new FieldErrors().first).toBeNull();
    expect(headlineOf(['Only one.'])).toBe('Only one.');
  });
});
