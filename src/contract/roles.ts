// Who may do what on a team host. Ordered: each role can do everything the one before it can.
// - viewer: sees everything, changes nothing (a wall display's account is a viewer);
// - operator: acknowledges alerts, silences, runs tools and server actions;
// - admin: the fleet, settings, recipes and accounts.
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `have` is at least `need` in the order above. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
