import { ACTION_LABELS, ACTION_MENU, type ActionName } from '../../contract/action-names';
import type { ActionAvailability, ActionFix } from '../../contract/action-settings-methods';
import { DomainError } from '../errors';
import { planAction, type PlanTarget } from './action-plan';
import type { RecipeBook } from './recipe';

// Which actions of the menu a selection can run now, found by planning each one exactly as a run
// would (so the menu can never offer what the run then refuses), and for the others why not, in
// the plan's own words, with the setting that fixes it.

/** A stand-in for the parameters the dialog asks for, so planning checks everything else. */
const DIALOG_PARAMS: Partial<Record<ActionName, Record<string, string>>> = { resize: { channels: '1' } };

export function actionAvailability(book: RecipeBook, targets: readonly PlanTarget[]): ActionAvailability[] {
  return ACTION_MENU.map((action) => {
    const label =
      book.recipes.find((r) => r.action === action && targets.some((t) => r.appliesTo.includes(t.type)))?.label ?? ACTION_LABELS[action];
    const refusal = refusalOf(book, action, targets);
    if (refusal === null) return { action, label, available: true, reason: null, fix: null };
    return { action, label, available: false, reason: refusal.message, fix: fixFor(book, action, targets, refusal.field) };
  });
}

function refusalOf(book: RecipeBook, action: ActionName, targets: readonly PlanTarget[]): DomainError | null {
  try {
    planAction(book, action, targets, DIALOG_PARAMS[action] ?? {});
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

function fixFor(book: RecipeBook, action: ActionName, targets: readonly PlanTarget[], field: string | undefined): ActionFix | null {
  if (field === 'params.installScript') return { setting: 'fleet-install-command', serverId: null };
  if (field === 'outOfBand' || field?.startsWith('outOfBand.')) {
    // The first server that cannot run it alone is the one to open.
    const blocked = targets.find((t) => refusalOf(book, action, [t]) !== null);
    return { setting: 'server-out-of-band', serverId: blocked?.id ?? null };
  }
  return null;
}
