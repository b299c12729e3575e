import { z } from 'zod';

// The one list of server actions. The contract's ActionName is this list, the recipe book's
// ActionKind is derived from it (src/domain/ssh/recipe.ts), and the Actions menu and the actions
// log's filter read it: a new action is added here once and is then offered everywhere, and a
// recipe book without a recipe for it fails its test instead of leaving a silent gap.

export const ACTION_NAMES = [
  'install',
  'start',
  'stop',
  'restart',
  'os-cycle',
  'power-cycle',
  'update',
  'resize',
  'restart-service',
] as const;

// Pure: a page that reads only the labels and the menu leaves the schema (and zod) out of its scripts.
export const ActionName = /* @__PURE__ */ z.enum(ACTION_NAMES);
export type ActionName = z.infer<typeof ActionName>;

/** The reference's words for each action (the Record type makes a missing label a compile error). */
export const ACTION_LABELS: Readonly<Record<ActionName, string>> = {
  install: 'Install Server',
  start: 'Start Server',
  stop: 'Stop Server',
  restart: 'Restart Server',
  'os-cycle': 'OS Cycle',
  'power-cycle': 'Power Cycle',
  update: 'Run Server Update',
  resize: 'Resize Capacity',
  'restart-service': 'Restart SIP service',
};

/**
 * The Actions menu: the reference's Server Actions Menu in its order, then Run Server Update and
 * Resize Capacity (their own sections of the reference), then the one action the reference does
 * not have, a restart of the SIP service alone.
 */
export const ACTION_MENU: readonly ActionName[] = ACTION_NAMES;

/** Actions the reference's menu does not list; the menu sets them apart. */
export const EXTRA_ACTIONS: ReadonlySet<ActionName> = new Set<ActionName>(['restart-service']);
