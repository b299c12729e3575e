// How long a server stays in maintenance after an action on it ends: long enough for what the
// action does to settle (a reboot, an install, a service coming back), so the probes' "down" while
// it settles does not page anyone; a server still down when the grace ends alerts as usual.
import type { ActionKind, Recipe } from './recipe';
import { RESIZE_REBOOT_ABOVE } from './recipe';

export const DEFAULT_GRACE_SEC: Readonly<Record<ActionKind, number>> = {
  install: 600,
  start: 120,
  stop: 120,
  // A reboot: the reference allows "up to 10 minutes" for a server to come back from one.
  restart: 600,
  'os-cycle': 900,
  'power-cycle': 900,
  update: 600,
  resize: 60,
  'restart-service': 300,
};

/** The reference: a resize over 1,000 channels reboots, "up to 10 minutes" before services return. */
export const RESIZE_REBOOT_GRACE_SEC = 600;

export function maintenanceGraceMs(
  recipe: Pick<Recipe, 'action' | 'maintenanceGraceSec' | 'rebootGraceSec'>,
  params: Readonly<Record<string, string>>,
): number {
  const base = recipe.maintenanceGraceSec ?? DEFAULT_GRACE_SEC[recipe.action];
  if (recipe.action === 'resize' && Number(params['channels']) > RESIZE_REBOOT_ABOVE)
    return Math.max(base, recipe.rebootGraceSec ?? RESIZE_REBOOT_GRACE_SEC) * 1000;
  return base * 1000;
}
