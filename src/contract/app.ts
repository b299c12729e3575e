import { z } from 'zod';

export const AppMode = z.enum(['live', 'snapshot']);

export const AppInfo = z.object({
  name: z.literal('Switchyard'),
  version: z.string(),
  mode: AppMode,
  /** Refuses every mutating call: a wall display (`--read-only`) or an open snapshot. */
  readOnly: z.boolean(),
  dataDir: z.string().nullable(),
  /** The host's clock, so the UI can show server times relative to it. */
  now: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Settings = z.strictObject({
  defaultSshUser: z.string().trim().min(1).max(64),
  /** A server whose test period ends within this many days is flagged as expiring. */
  expiringSoonDays: z.number().int().min(0).max(365),
});
export type Settings = z.infer<typeof Settings>;
export const SettingsPatch = Settings.partial();
