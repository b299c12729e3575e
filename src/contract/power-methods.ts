import { z } from 'zod';
import { Id, Port } from './fleet';
import { command, query } from './spec';

// Out-of-band power: how this workstation reaches a server's power controller without going
// through the server itself (Power Cycle and OS Cycle run this way, never over SSH). Either IPMI
// over LAN to the server's BMC with ipmitool, or the operator's own command per operation (a cloud
// provider's CLI). The IPMI password lives in the secret store only; the UI learns whether one is
// set, never what it is.

/** A host name or address as ipmitool takes it: no spaces, no leading "-" (it would read as an option). */
const BmcHost = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(253, 'must be at most 253 characters')
  .regex(/^[A-Za-z0-9.:[\]_-]+$/, 'must be a host name or IP address (letters, digits, ".", ":", "-")')
  .refine((h) => !h.startsWith('-'), 'must not start with "-"');

/** IPMI user names are at most 16 bytes (IPMI 2.0, 22.28). */
const BmcUser = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(16, 'must be at most 16 characters (the IPMI limit)')
  .regex(/^[\x21-\x7e]+$/, 'must be printable characters with no spaces')
  .refine((u) => !u.startsWith('-'), 'must not start with "-"');

/** An argv template: the program, then its arguments, `{ip}` and `{alias}` filled in per server. */
const ArgvTemplate = z
  .array(z.string().max(1024, 'must be at most 1024 characters'))
  .min(1, 'needs at least the program')
  .max(64, 'must have at most 64 arguments');

export const IpmiMethod = z.strictObject({
  method: z.literal('ipmi'),
  /** The BMC's address as this workstation reaches it. */
  host: BmcHost,
  port: Port.default(623),
  user: BmcUser,
  /** RMCP+ cipher suite: 17 (HMAC-SHA256, ipmitool's default) or 3 (HMAC-SHA1, what every IPMI 2.0 BMC offers). */
  cipherSuite: z.union([z.literal(3), z.literal(17)]).default(17),
});
export type IpmiMethod = z.infer<typeof IpmiMethod>;

export const CommandMethod = z.strictObject({
  method: z.literal('command'),
  /** Prints the power state: a line saying on/running or off/stopped. */
  status: ArgvTemplate,
  /** Powers the server on. */
  on: ArgvTemplate,
  /** Asks the operating system to shut down (ACPI power button, a provider's "stop"). */
  soft: ArgvTemplate,
  /** Hard power cycle (a provider's "reset" or "reboot --hard"). */
  cycle: ArgvTemplate,
});
export type CommandMethod = z.infer<typeof CommandMethod>;

export const OutOfBandMethod = z.discriminatedUnion('method', [IpmiMethod, CommandMethod]);
export type OutOfBandMethod = z.infer<typeof OutOfBandMethod>;

export const PowerMethodView = z.object({
  serverId: Id,
  method: OutOfBandMethod.nullable(),
  /** Whether an IPMI password is in the secret store for this server. */
  passwordSet: z.boolean(),
  /** How the secret store keeps it: `memory` is gone when the console stops. */
  storage: z.enum(['os-keychain', 'basic-text', 'key-file', 'memory']),
});
export type PowerMethodView = z.infer<typeof PowerMethodView>;

export const PowerState = z.enum(['on', 'off', 'unknown']);
export type PowerState = z.infer<typeof PowerState>;

export const PowerStatus = z.object({
  state: PowerState,
  /** What ran, without secrets (the password goes through IPMI_PASSWORD, never the command line). */
  command: z.string(),
  output: z.string(),
  /** Why it could not be read, naming the field to fix; null when it was read. */
  error: z.string().nullable(),
  field: z.string().nullable(),
  at: z.number().int(),
});
export type PowerStatus = z.infer<typeof PowerStatus>;

export const powerMethods = {
  'power:get-method': query(z.strictObject({ serverId: Id }), PowerMethodView),
  /** Sets (or with null removes) a server's out-of-band method; the password is kept apart. */
  'power:set-method': command(z.strictObject({ serverId: Id, method: OutOfBandMethod.nullable() }), PowerMethodView),
  'power:set-password': command(
    z.strictObject({ serverId: Id, password: z.string().min(1, 'is required').max(64, 'must be at most 64 characters') }),
    PowerMethodView,
  ),
  'power:clear-password': command(z.strictObject({ serverId: Id }), PowerMethodView),
  /** Reads the power state through the out-of-band method now (nothing changes). */
  'power:status': query(z.strictObject({ serverId: Id }), PowerStatus),
};
