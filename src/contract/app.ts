import { z } from 'zod';

export const AppMode = z.enum(['live', 'snapshot']);

export const AppInfo = z.object({
  name: z.literal('Switchyard'),
  version: z.string(),
  mode: AppMode,
  /** Refuses every mutating call: a wall display (`--read-only`) or an open snapshot. */
  readOnly: z.boolean(),
  /** `switchyard demo`: the demo fleet, answered by a built-in loopback SIP responder. */
  demo: z.boolean().default(false),
  dataDir: z.string().nullable(),
  /** The host's clock, so the UI can show server times relative to it (a snapshot's: when it was taken). */
  now: z.number().int(),
  /** How passwords, keys and channel secrets are kept: `memory` ones are gone when the host stops. */
  secretStorage: z.enum(['os-keychain', 'basic-text', 'key-file', 'memory']).default('memory'),
  /** The snapshot on show in snapshot mode; null for the live fleet. */
  snapshot: z.object({ file: z.string(), takenAt: z.number().int(), note: z.string(), version: z.string() }).nullable().default(null),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Settings = z.strictObject({
  defaultSshUser: z.string().trim().min(1).max(64),
  /** A server whose test period ends within this many days is flagged as expiring. */
  expiringSoonDays: z.number().int().min(0).max(365),
  /** How often every server is probed (SIP, ICMP, TCP), in whole seconds. */
  probeIntervalSec: z.number().int('must be a whole number of seconds').min(1, 'must be at least 1 s').max(3600, 'must be at most 3600 s'),
  /** Our deadline for a SIP answer: none by then is a loss. */
  sipDeadlineMs: z.number().int('must be whole milliseconds').min(100, 'must be at least 100 ms').max(10_000, 'must be at most 10000 ms'),
  /** Loss above this percentage over the recent window makes a server degraded. */
  statusMaxLossPct: z.number().min(0, 'must be 0–100').max(100, 'must be 0–100'),
  /** A median round trip above this makes a server degraded. */
  statusMaxLatencyMs: z.number().positive('must be above 0').max(60_000, 'must be at most 60000 ms'),
  /** This many SIP probes lost in a row make a server down. */
  statusDownAfterLosses: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100'),
  /**
   * Available account balance in cents, as the user last saw it in billing (not reachable from
   * here): deploying a server needs $20 plus $20 for every server already in the fleet.
   */
  availableBalanceCents: z.number().int('must be whole cents').min(0, 'must be 0 or more').max(100_000_000_000, 'is too large'),
  /** Ping and MTR runs going at once on this host; one more is refused until one ends. */
  maxConcurrentToolRuns: z.number().int('must be a whole number').min(1, 'must be at least 1').max(64, 'must be at most 64'),
});
export type Settings = z.infer<typeof Settings>;
export const SettingsPatch = Settings.partial();
