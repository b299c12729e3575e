import { z } from 'zod';
import { Id } from './fleet';
import { query, withRole } from './spec';

// Registered user locations of one server, read over SSH from the SIP server (the recipe book's
// `registrations` command, `kamcmd ul.dump` by default), and what sharing does to them.

/** Whether a contact still answers the server's NAT keepalives (usrloc ka_mode), with the last round trip. */
export const ContactKeepalive = z.object({
  /** answering; silent: missed a round the others answered (NAT gone?); not-yet: registered since the last round; unknown: no keepalive data. */
  state: z.enum(['answering', 'silent', 'not-yet', 'unknown']),
  roundtripMs: z.number().nonnegative().nullable(),
  /** UTC ms of the last answer (or of the last REGISTER when none came since), on the server's clock. */
  lastAnswerAt: z.number().int().nullable(),
  silentForSec: z.number().int().nonnegative().nullable(),
});
export type ContactKeepalive = z.infer<typeof ContactKeepalive>;

export const KeepaliveHealth = z.object({
  /** Some contact answered a keepalive: the server runs usrloc keepalive, so silence means something. */
  observed: z.boolean(),
  lastRoundAt: z.number().int().nullable(),
  answering: z.number().int(),
  silent: z.number().int(),
  notYet: z.number().int(),
  summary: z.string(),
});
export type KeepaliveHealth = z.infer<typeof KeepaliveHealth>;

export const RegisteredContact = z.object({
  aor: z.string(),
  address: z.string(),
  expires: z.number().int().nullable(),
  userAgent: z.string().nullable(),
  received: z.string().nullable(),
  socket: z.string().nullable(),
  serverId: z.number().int().nullable(),
  keepalive: ContactKeepalive,
});
export type RegisteredContact = z.infer<typeof RegisteredContact>;

export const ServerRegistrations = z.object({
  serverId: Id,
  readAt: z.number().int(),
  /** The command line that was run, for the operator to repeat by hand. */
  command: z.string(),
  aorCount: z.number().int(),
  contactCount: z.number().int(),
  domains: z.array(z.object({ name: z.string(), aors: z.number().int(), records: z.number().int().nullable() })),
  contacts: z.array(RegisteredContact),
  /** More contacts than the list carries; the counts are still exact. */
  truncated: z.boolean(),
  sharing: z.object({
    mode: z.enum(['single', 'cluster', 'array-shared', 'array-isolated']),
    sharedWith: z.array(z.string()),
    summary: z.string(),
    advice: z.string().nullable(),
  }),
  /** NAT keepalive from this server for the contacts counted here (UAC ping, one OPTIONS per contact per interval). */
  keepalive: z.object({
    intervalSec: z.number(),
    uacPing: z.boolean(),
    pingsPerSecond: z.number(),
    summary: z.string(),
    advice: z.string().nullable(),
  }),
  /** Which contacts answer the keepalives, over all contacts (not only the listed ones). */
  keepaliveHealth: KeepaliveHealth,
  /** Ages are on the server's own clock (the recipe printed it); false: this workstation's. */
  serverClock: z.boolean(),
});
export type ServerRegistrations = z.infer<typeof ServerRegistrations>;

/** A SIP user name (or user@domain) as an AoR holds it: no spaces, no control characters. */
export const RegistrationUser = z
  .string()
  .trim()
  .min(1, 'is empty: type the user name to look up')
  .max(128, 'is longer than any user name (128 characters at most)')
  .regex(/^[^\s\p{Cc}\p{Cf}]+$/u, 'must be a SIP user name: no spaces or control characters');

/** One user's registered contacts on one server: the reference's "made available as a lookup". */
export const RegistrationLookup = z.object({
  serverId: Id,
  user: z.string(),
  readAt: z.number().int(),
  command: z.string(),
  /** The AoR as the server stores it; null: the user is not registered there. */
  aor: z.string().nullable(),
  contacts: z.array(RegisteredContact),
  /** The server's last keepalive round and the sentence for this user's contacts. */
  keepaliveHealth: KeepaliveHealth,
  serverClock: z.boolean(),
  /** `lookup`: the server looked the user up (ul.lookup); `dump`: a recipe without a user parameter, so the whole table was read and filtered here. */
  via: z.enum(['lookup', 'dump']),
});
export type RegistrationLookup = z.infer<typeof RegistrationLookup>;

export const registrationsMethods = {
  // Runs the registrations command on the server over SSH each time: a wall display may not.
  'registrations:for-server': withRole(
    'operator',
    query(z.strictObject({ serverId: Id }), ServerRegistrations, ['connects', 'starts-process']),
  ),
  'registrations:lookup': query(z.strictObject({ serverId: Id, user: RegistrationUser }), RegistrationLookup),
};
