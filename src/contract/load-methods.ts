import { z } from 'zod';
import { Id } from './fleet';
import { query } from './spec';

// Live calls and calls per second of every server, from the last load poll (Kamailio's dialog
// statistics read over SSH every 30 s), for the fleet table's "in use / capacity" columns.

export const ServerUsage = z.object({
  serverId: Id,
  /** When the reading was taken; null when there is no recent one. */
  at: z.number().int().nullable(),
  /** Channels in use: calls answered plus ringing. */
  channelsInUse: z.number().int().nullable(),
  /** The ringing part of channelsInUse. */
  ringing: z.number().int().nullable(),
  /** Calls per second over the time since the poll before. */
  cps: z.number().nullable(),
  /** Why the poll read no calls, naming the server; null when it did (or no poll ran yet). */
  callsError: z.string().nullable(),
  /** Why the last load poll failed altogether, naming the server. */
  pollError: z.string().nullable(),
});
export type ServerUsage = z.infer<typeof ServerUsage>;

export const UsagePush = z.object({ servers: z.array(ServerUsage) });
export type UsagePush = z.infer<typeof UsagePush>;

export const loadMethods = {
  'load:list-usage': query(z.strictObject({}), UsagePush),
};
