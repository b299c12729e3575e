import { z } from 'zod';
import { ROLES } from './roles';
import { command, query, withRole } from './spec';

// The accounts of a team host, managed by admins from the Accounts screen (the CLI's `switchyard
// user …` calls the same methods on the host). A password goes in and never comes out: the list
// says who exists, with which role, and whether they may sign in. Names and passwords are bounded
// here and checked in words by the accounts service (the field named, the value quoted).

export const Role = z.enum(ROLES);

export const Account = z.object({
  name: z.string(),
  role: Role,
  disabled: z.boolean(),
  createdAt: z.number().int(),
  /** Moves on every role change, password reset, disable and enable: older sessions are void. */
  changedAt: z.number().int(),
});
export type Account = z.infer<typeof Account>;

const Name = z.string().max(200);
const Password = z.string().max(4096);

export const accountsMethods = {
  'accounts:list': withRole('admin', query(z.strictObject({}), z.array(Account))),
  'accounts:add': command(z.strictObject({ name: Name, role: Role, password: Password }), Account),
  /** Refused for the last active admin: nobody could manage accounts from the console any more. */
  'accounts:disable': command(z.strictObject({ name: Name }), Account),
  'accounts:enable': command(z.strictObject({ name: Name }), Account),
  'accounts:reset-password': command(z.strictObject({ name: Name, password: Password }), Account),
  /** Demoting the last active admin is refused, like disabling it. */
  'accounts:set-role': command(z.strictObject({ name: Name, role: Role }), Account),
};
