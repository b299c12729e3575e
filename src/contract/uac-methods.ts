import { z } from 'zod';
import { Id } from './fleet';
import { command, query, withRole } from './spec';

// UAC Auth: the upstream providers a server registers to as a UAC (registrar, username, expiry),
// pushed by Install Server into the server's Kamailio (uac module), and the live state of each
// registration read back with `kamcmd uac.reg_dump`. Passwords live in the secret store only: an
// answer says whether one is set, never what it is, and exports and snapshots never carry them.

export const UacState = z.enum(['registered', 'registering', 'waiting', 'retrying', 'failed', 'not-loaded']);
export type UacState = z.infer<typeof UacState>;

export const UacUpstream = z.object({
  id: Id,
  registrar: z.string(),
  username: z.string(),
  expiry: z.number().int(),
  passwordSet: z.boolean(),
});
export type UacUpstream = z.infer<typeof UacUpstream>;

export const UacUpstreamInput = z.strictObject({
  /** An upstream already saved (its password is kept unless a new one is given); absent: a new one. */
  id: Id.optional(),
  registrar: z.string().max(300, 'must be at most 300 characters'),
  username: z.string().max(200, 'must be at most 200 characters'),
  expiry: z.number().int('must be a whole number of seconds'),
  /** A new password; absent keeps the stored one. */
  password: z.string().max(200, 'must be at most 200 characters').optional(),
});
export type UacUpstreamInput = z.infer<typeof UacUpstreamInput>;

export const UacUpstreamState = z.object({
  upstreamId: Id,
  registrar: z.string(),
  username: z.string(),
  state: UacState,
  reason: z.string().nullable(),
  flags: z.number().int().nullable(),
  refreshInSec: z.number().int().nullable(),
  stale: z.boolean(),
});
export type UacUpstreamState = z.infer<typeof UacUpstreamState>;

export const UacStatus = z.object({
  serverId: Id,
  /** When the states below were read; null before the first good read. */
  readAt: z.number().int().nullable(),
  /** The command run over SSH, for the operator to repeat by hand. */
  command: z.string(),
  upstreams: z.array(UacUpstreamState),
  /** Registrations Kamailio holds that Switchyard did not write (another tool, a hand edit). */
  unmanaged: z.array(
    z.object({ uuid: z.string(), username: z.string().nullable(), proxy: z.string().nullable(), registered: z.boolean() }),
  ),
  /** The last read that failed, and when; cleared by a good read. */
  error: z.string().nullable(),
  errorAt: z.number().int().nullable(),
});
export type UacStatus = z.infer<typeof UacStatus>;

export const UacView = z.object({
  serverId: Id,
  /** The server's UAC Auth setting: Install pushes the upstreams only when it is on. */
  uacAuth: z.boolean(),
  upstreams: z.array(UacUpstream),
  /** How the secret store keeps the passwords: `memory` forgets them when the console stops. */
  storage: z.enum(['os-keychain', 'basic-text', 'key-file', 'memory']),
  status: UacStatus,
});
export type UacView = z.infer<typeof UacView>;

export const uacMethods = {
  /** The server's upstreams and the last state read from it (nothing is asked of the server). */
  'uac:get': query(z.strictObject({ serverId: Id }), UacView),
  /** Replaces the server's upstream list as a whole (all or nothing); marks the server "install recommended". */
  'uac:set-upstreams': command(
    z.strictObject({ serverId: Id, upstreams: z.array(UacUpstreamInput).max(200, 'must hold at most 200 upstreams') }),
    UacView,
  ),
  /** Reads each registration's state from the server now (`kamcmd uac.reg_dump` over SSH) and keeps it. */
  // Runs a command over SSH and keeps what it read: a read-only wall display may not (issue 16).
  'uac:status': withRole('operator', query(z.strictObject({ serverId: Id }), UacView, ['connects', 'starts-process'])),
};
