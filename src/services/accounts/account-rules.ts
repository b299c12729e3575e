import { ROLES, isRole, type Role } from '../../contract/roles';
import { invalid } from '../../domain/errors';

// What an account name and a password must be, checked before anything is hashed or stored; each
// refusal names the field and the value (never the password itself).

export const NAME_MAX = 64;
export const PASSWORD_MIN = 12;
/** scrypt takes any length; a bound keeps a megabyte "password" from being hashed at all. */
export const PASSWORD_MAX = 1024;

// Letters, digits and . _ - @ (e-mail-like names work); no spaces, so a name reads the same in
// the CLI, the audit log and a URL. Starts with a letter or digit so it is never taken for a flag.
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

export function checkName(name: string): string {
  if (name.length === 0) throw invalid('name', 'Account name is empty: give the name the person signs in with.');
  if (name.length > NAME_MAX) throw invalid('name', `Account name "${name.slice(0, 20)}…" is longer than ${NAME_MAX} characters.`);
  if (!NAME_PATTERN.test(name)) {
    throw invalid(
      'name',
      `Account name "${name}" may hold only letters, digits, ".", "_", "-" and "@", and must start with a letter or digit.`,
    );
  }
  return name;
}

export function checkPassword(password: string, name?: string): string {
  const length = [...password].length;
  if (length < PASSWORD_MIN) {
    throw invalid('password', `Password is too short (${length} characters): use at least ${PASSWORD_MIN}.`);
  }
  if (length > PASSWORD_MAX) throw invalid('password', `Password is longer than ${PASSWORD_MAX} characters.`);
  if (password.trim().length === 0) throw invalid('password', 'Password is only spaces.');
  if (name !== undefined && password.toLowerCase() === name.toLowerCase()) {
    throw invalid('password', `Password is the account name "${name}": choose something else.`);
  }
  return password;
}

export function checkRole(role: string): Role {
  if (!isRole(role)) throw invalid('role', `Role "${role}" is not one of ${ROLES.join(', ')}.`);
  return role;
}
