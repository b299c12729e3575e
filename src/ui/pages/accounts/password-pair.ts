import { FieldErrors } from '../../lib/field-errors';

/** The fields PasswordFields shows its errors beside. */
export const PASSWORD_FIELDS = ['password', 'again'] as const;

/** The refusal when the two boxes differ (shown beside the second), or null when they agree. */
export function passwordMismatch(password: string, again: string): FieldErrors | null {
  return password === again ? null : new FieldErrors({ code: 'invalid-input', message: 'The two passwords differ.', field: 'again' });
}

/**
 * True when the refusal is shown beside none of `fields`, so the form says it on its own line: one
 * naming another field, or none at all (a lost host, a role refused).
 */
export function hasUnplacedError(errors: FieldErrors, fields: readonly string[]): boolean {
  return errors.headline !== null && !fields.some((field) => errors.get(field) !== null);
}
