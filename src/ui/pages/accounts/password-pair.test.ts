import { describe, expect, it } from 'vitest';
import { FieldErrors } from '../../lib/field-errors';
import { hasUnplacedError, PASSWORD_FIELDS, passwordMismatch } from './password-pair';

describe('the password typed twice', () => {
  it('refuses two different passwords beside the second box, and lets equal ones through', () => {
    expect(passwordMismatch('correct horse battery', 'correct horse battery')).toBeNull();
    const refused = passwordMismatch('correct horse battery', 'correct horse batterY');
    expect(refused?.get('again')).toBe('The two passwords differ.');
    expect(refused?.get('password')).toBeNull();
  });

  it('says an error on its own line only when no box shows it', () => {
    const fields = ['name', ...PASSWORD_FIELDS];
    expect(hasUnplacedError(new FieldErrors(), fields)).toBe(false);
    expect(hasUnplacedError(new FieldErrors({ code: 'invalid-input', message: 'Too short.', field: 'password' }), fields)).toBe(false);
    expect(hasUnplacedError(new FieldErrors({ code: 'forbidden', message: 'Operator accounts cannot add accounts.' }), fields)).toBe(true);
    expect(hasUnplacedError(new FieldErrors({ code: 'invalid-input', message: 'Bad.', field: 'role' }), fields)).toBe(true);
  });
});
