import type { Role } from '../../../contract/roles';

/** What each role may do, in the words of the role list (src/contract/roles.ts). */
export const ROLE_HELP: Readonly<Record<Role, string>> = {
  viewer: 'Sees everything, changes nothing (a wall display).',
  operator: 'Also acknowledges and silences alerts, runs tools and server actions.',
  admin: 'Also manages the fleet, settings, recipes and accounts.',
};
