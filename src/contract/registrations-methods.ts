import { z } from 'zod';
import { Id } from './fleet';
import { query } from './spec';

// Registered user locations of one server, read over SSH from the SIP server (the recipe book's
// `registrations` command, `kamcmd ul.dump` by default), and what sharing does to them.

export const RegisteredContact = z.object({
  aor: z.string(),
  address: z.string(),
  expires: z.number().int().nullable(),
  userAgent: z.string().nullable(),
  received: z.string().nullable(),
  socket: z.string().nullable(),
  serverId: z.number().int().nullable(),
});

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
  keepalive: z.object({ intervalSec: z.number(), uacPing: z.boolean(), pingsPerSecond: z.number(), summary: z.string(), advice: z.string().nullable() }),
});
export type ServerRegistrations = z.infer<typeof ServerRegistrations>;

export const registrationsMethods = {
  'registrations:for-server': query(z.strictObject({ serverId: Id }), ServerRegistrations),
};
