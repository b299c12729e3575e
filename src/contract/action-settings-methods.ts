import { z } from 'zod';
import { ActionName } from './action-names';
import { Id } from './fleet';
import { command, query } from './spec';

// What server actions need besides the recipe book: the install command (a fleet setting with a
// per-server override), which actions a selection can run now and why not, and resizes waiting for
// their 15 minutes ("The update will be active in 15 minutes").

export const InstallSource = z.enum(['server', 'fleet']);

export const InstallCommandView = z.object({
  /** The fleet's install command; null: none set. */
  fleet: z.string().nullable(),
  servers: z.array(
    z.object({
      id: Id,
      alias: z.string(),
      ip: z.string(),
      /** This server's own command; null: it uses the fleet's. */
      override: z.string().nullable(),
      /** What Install Server runs on it; null: nothing is set anywhere. */
      effective: z.string().nullable(),
      source: InstallSource.nullable(),
    }),
  ),
  /** The command every listed server would run, when they all run the same one. */
  common: z.string().nullable(),
});
export type InstallCommandView = z.infer<typeof InstallCommandView>;

/** Where the setting that unblocks an action lives, for the menu's link. */
export const ActionFix = z.object({
  setting: z.enum(['fleet-install-command', 'server-install-command', 'server-out-of-band']),
  /** The server to open, for a per-server setting. */
  serverId: Id.nullable(),
});
export type ActionFix = z.infer<typeof ActionFix>;

export const ActionAvailability = z.object({
  action: ActionName,
  label: z.string(),
  available: z.boolean(),
  /** Why it cannot run on this selection now, in the words its dialog would use. */
  reason: z.string().nullable(),
  fix: ActionFix.nullable(),
});
export type ActionAvailability = z.infer<typeof ActionAvailability>;

export const PendingResize = z.object({
  serverId: Id,
  alias: z.string(),
  ip: z.string(),
  /** What the limits and the advisor count until `activeAt`. */
  previousChannels: z.number().int(),
  /** The size Resize Capacity set, active from `activeAt`. */
  channels: z.number().int(),
  requestedAt: z.number().int(),
  activeAt: z.number().int(),
});
export type PendingResize = z.infer<typeof PendingResize>;

const InstallCommandText = z.string().max(4096, 'must be at most 4096 characters');

export const actionSettingsMethods = {
  /** The fleet's install command and, for the given servers, each one's own and the one it runs. */
  'actions:install-command': query(z.strictObject({ serverIds: z.array(Id).max(5000).default([]) }), InstallCommandView),
  /**
   * Sets the fleet's install command (`serverId` null) or one server's override; null removes it.
   * Refused unless it is an absolute path or an https URL.
   */
  'actions:set-install-command': command(
    z.strictObject({ serverId: Id.nullable(), command: InstallCommandText.nullable() }),
    InstallCommandView,
  ),
  /** Which actions the selection can run now; for the others, why not and where to fix it. */
  'actions:availability': query(
    z.strictObject({ serverIds: z.array(Id).min(1, 'select at least one server').max(5000) }),
    z.object({ actions: z.array(ActionAvailability) }),
  ),
  /** Resizes not active yet (the 15 minutes after Resize Capacity succeeded). */
  'actions:pending-resizes': query(z.strictObject({}), z.object({ resizes: z.array(PendingResize) })),
};
