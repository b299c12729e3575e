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

/** What a sync (or an allow-list change) refused to keep, and why. */
export const ApibanDrops = z.object({
  at: z.number().int(),
  /** Entries that are not an IP address. */
  malformed: z.number().int(),
  /** Loopback, private, link-local, multicast, broadcast, 0.0.0.0, documentation ranges… */
  notGlobal: z.number().int(),
  /** The fleet's own servers, their SSH hosts, RTP servers and this host's addresses. */
  fleet: z.number().int(),
  allowListed: z.number().int(),
  /** A few malformed entries, quoted, with the page they came from. */
  samples: z.array(z.string()),
});
export type ApibanDrops = z.infer<typeof ApibanDrops>;

export const ApibanTarget = z.object({ serverId: Id, method: ApibanMethod });
export type ApibanTarget = z.infer<typeof ApibanTarget>;

/** A server the schedule applies to, with when it is next due and why. */
export const ApibanScheduledServer = ApibanTarget.extend({
  nextApplyAt: z.number().int(),
  /** Why it is due now (`list changed`, `entries would time out`…), null when it is not. */
  due: z.string().nullable(),
});

export const ApibanSchedule = z.object({
  enabled: z.boolean(),
  intervalSec: z.number().int(),
  /** When the next sync runs by itself; null while off, without a key, or where nothing runs on its own. */
  nextSyncAt: z.number().int().nullable(),
  /** Whether this host runs the schedule (not a one-shot CLI, a snapshot or a read-only wall). */
  running: z.boolean(),
  /** The one `host[:port]` plain http is allowed for; null: https only. */
  httpHost: z.string().nullable(),
  listChangedAt: z.number().int().nullable(),
  targets: z.array(ApibanScheduledServer),
});
export type ApibanSchedule = z.infer<typeof ApibanSchedule>;

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
  schedule: ApibanSchedule,
  /** What the last sync refused to store; null before the first sync. */
  dropped: ApibanDrops.nullable(),
  allowCount: z.number().int(),
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
  /** Refused before storing: malformed, not global, the fleet's own, allow-listed. */
  dropped: ApibanDrops,
});
export type ApibanSyncResult = z.infer<typeof ApibanSyncResult>;

export const ApibanAllowEntry = z.object({ entry: z.string(), note: z.string(), addedAt: z.number().int() });
export type ApibanAllowEntry = z.infer<typeof ApibanAllowEntry>;

export const ApibanKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{8,128}$/, 'must be the APIBAN key: 8 to 128 letters and digits');

export const apibanMethods = {
  /**
   * A null key removes it. `baseUrl` changes the API address (default https://apiban.org); plain
   * http is refused unless `httpHost` (or the stored one) names its host and port: a lab's test
   * server. A null `httpHost` allows none again.
   */
  'apiban:set-key': command(
    z.strictObject({
      key: ApibanKey.nullable().optional(),
      baseUrl: z.string().trim().min(1, 'is required').max(300).optional(),
      httpHost: z.string().trim().max(260).nullable().optional(),
    }),
    ApibanStatus,
  ),
  'apiban:status': query(z.strictObject({}), ApibanStatus),
  'apiban:sync': command(z.strictObject({}), ApibanSyncResult),
  'apiban:check': query(
    z.strictObject({ ip: z.string().trim().min(1, 'is required').max(64) }),
    z.object({
      ip: z.string(),
      banned: z.boolean(),
      id: z.string().nullable(),
      inLocalList: z.boolean(),
      lastSeen: z.number().int().nullable(),
    }),
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
  /** The schedule: on or off, how often it syncs, and the servers it applies to by itself. */
  'apiban:set-schedule': command(
    z.strictObject({
      enabled: z.boolean().optional(),
      intervalSec: z
        .number()
        .int('must be a whole number of seconds')
        .min(60, 'must be at least 60 seconds (1 minute)')
        .max(604_800, 'must be at most 7 days')
        .optional(),
      /** Replaces the servers applied to by itself; absent: unchanged. */
      targets: z.array(ApibanTarget).max(1000).optional(),
    }),
    ApibanStatus,
  ),
  'apiban:list-allowed': query(z.strictObject({}), z.array(ApibanAllowEntry)),
  /** An address or CIDR block never banned; addresses already in the list that it covers are removed. */
  'apiban:add-allowed': command(
    z.strictObject({ entry: z.string().trim().min(1, 'is required').max(64), note: z.string().trim().max(200).default('') }),
    z.object({ entry: ApibanAllowEntry, removed: z.number().int() }),
  ),
  'apiban:remove-allowed': command(
    z.strictObject({ entry: z.string().trim().min(1, 'is required').max(64) }),
    z.object({ removed: z.boolean() }),
  ),
};

/** Pushed when the schedule's own sync or apply ended: what ran, whether it worked, in words. */
export const ApibanScheduleRun = z.object({
  what: z.enum(['sync', 'apply']),
  ok: z.boolean(),
  at: z.number().int(),
  message: z.string(),
  /** For an apply: the servers it ran on. */
  serverIds: z.array(z.string()),
});

/** Pushed while a sync runs: each page, each wait on a rate limit, and the end. */
export const ApibanSyncProgress = z.object({
  state: z.enum(['fetching', 'waiting', 'done', 'failed']),
  pages: z.number().int(),
  added: z.number().int(),
  refreshed: z.number().int(),
  nextId: z.string(),
  message: z.string(),
});
