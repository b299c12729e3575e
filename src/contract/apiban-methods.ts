import { z } from 'zod';
import { Id } from './fleet';
import { command, query } from './spec';

// APIBAN: the banned list fetched with the operator's key (kept in the secret store, never
// returned), stored with first/last seen, checked one address at a time, applied to servers.

export const ApibanMethod = z.enum(['ipset', 'nftables']);
export type ApibanMethod = z.infer<typeof ApibanMethod>;

export const ApibanApplied = z.object({
  serverId: Id,
  method: z.string(),
  entries: z.number().int().nullable(),
  ok: z.boolean(),
  message: z.string(),
  appliedAt: z.number().int(),
});
export type ApibanApplied = z.infer<typeof ApibanApplied>;

export const ApibanStatus = z.object({
  keySet: z.boolean(),
  baseUrl: z.string(),
  /** Where the next sync resumes (`100` before the first page). */
  nextId: z.string(),
  addresses: z.number().int(),
  lastSyncAt: z.number().int().nullable(),
  lastOutcome: z.string().nullable(),
  lastMessage: z.string().nullable(),
  syncing: z.boolean(),
  applied: z.array(ApibanApplied),
});
export type ApibanStatus = z.infer<typeof ApibanStatus>;

export const ApibanSyncResult = z.object({
  outcome: z.enum(['complete', 'rate-limited', 'failed']),
  pages: z.number().int(),
  added: z.number().int(),
  refreshed: z.number().int(),
  expired: z.number().int(),
  nextId: z.string(),
  message: z.string(),
});
export type ApibanSyncResult = z.infer<typeof ApibanSyncResult>;

export const ApibanKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{8,128}$/, 'must be the APIBAN key: 8 to 128 letters and digits');

export const apibanMethods = {
  /** A null key removes it. `baseUrl` changes the API address (default https://apiban.org). */
  'apiban:set-key': command(
    z.strictObject({
      key: ApibanKey.nullable().optional(),
      baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(300).optional(),
    }),
    ApibanStatus,
  ),
  'apiban:status': query(z.strictObject({}), ApibanStatus),
  'apiban:sync': command(z.strictObject({}), ApibanSyncResult),
  'apiban:check': query(
    z.strictObject({ ip: z.string().trim().min(1, 'is required').max(64) }),
    z.object({ ip: z.string(), banned: z.boolean(), id: z.string().nullable(), inLocalList: z.boolean(), lastSeen: z.number().int().nullable() }),
  ),
  'apiban:list': query(
    z.strictObject({
      search: z.string().trim().max(64).default(''),
      limit: z.number().int().min(1).max(5000).default(200),
      offset: z.number().int().min(0).default(0),
    }),
    z.object({
      total: z.number().int(),
      rows: z.array(z.object({ ip: z.string(), firstSeen: z.number().int(), lastSeen: z.number().int() })),
    }),
  ),
  'apiban:apply': command(
    z.strictObject({ serverIds: z.array(Id).min(1).max(1000), method: ApibanMethod.optional() }),
    z.object({ results: z.array(ApibanApplied) }),
  ),
};

/** Pushed while a sync runs: each page, each wait on a rate limit, and the end. */
export const ApibanSyncProgress = z.object({
  state: z.enum(['fetching', 'waiting', 'done', 'failed']),
  pages: z.number().int(),
  added: z.number().int(),
  refreshed: z.number().int(),
  nextId: z.string(),
  message: z.string(),
});
