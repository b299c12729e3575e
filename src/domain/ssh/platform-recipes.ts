import { z } from 'zod';

// Commands the platform features run on servers, kept in the recipe book beside the actions so an
// operator can adapt them (another firewall, another SIP server) without a new Switchyard.
// `{param}` placeholders work as in action recipes; the argv is quoted by shellJoin.

const ParamName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a parameter name (letters, digits, _)');

export const RemoteCommand = z.strictObject({
  label: z.string().trim().min(1).max(80),
  command: z.array(z.string()).min(1),
  timeoutSec: z.number().int().positive().max(3_600),
  defaults: z.record(ParamName, z.string()).default({}),
});
export type RemoteCommand = z.infer<typeof RemoteCommand>;

/**
 * Applying the APIBAN list: the addresses arrive on stdin, one per line; the command must be
 * idempotent (create the set if missing, replace its contents in one step so every entry gets a
 * fresh timeout and addresses no longer listed leave, keep exactly one drop rule) and end by
 * printing `entries=N`, the size of the set on the server.
 */
export const ApibanRecipes = z.strictObject({
  default: z.enum(['ipset', 'nftables']),
  ipset: RemoteCommand,
  nftables: RemoteCommand,
});
export type ApibanRecipes = z.infer<typeof ApibanRecipes>;

/** Reading user locations: prints a `kamcmd ul.dump` (Kamailio's RPC text form). */
export const RegistrationsRecipe = RemoteCommand;
export type RegistrationsRecipe = z.infer<typeof RegistrationsRecipe>;

/** What an apply command printed last: `entries=N`. */
export function appliedEntries(stdout: string): number | null {
  const matches = [...stdout.matchAll(/^entries=(\d+)\s*$/gm)];
  const last = matches[matches.length - 1];
  return last ? Number(last[1]) : null;
}
