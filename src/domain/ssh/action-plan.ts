import type { ServerType } from '../../contract/fleet';
import { DomainError, invalid } from '../errors';
import { findRecipe, renderRecipe, resizeImpact, type ActionKind, type ParamInput, type Recipe, type RecipeBook, type RenderedCommand } from './recipe';

// What an action will do on a selection, decided before anything runs: the recipe per server
// type, each server's command line, the confirmation it needs and the warnings to read first.
// The host computes the same plan again when the run is asked for, so a check made only in the
// UI (the typed count, a guard) cannot be skipped by calling the host directly.

export interface PlanTarget {
  id: string;
  alias: string;
  ip: string;
  type: ServerType;
  updatePending: boolean;
  /** Active calls from the last load reading; null when unknown. */
  activeChannels: number | null;
}

export interface PlannedServer<T extends PlanTarget = PlanTarget> {
  server: T;
  recipe: Recipe;
  command: RenderedCommand;
}

export interface ActionPlanResult<T extends PlanTarget = PlanTarget> {
  action: ActionKind;
  label: string;
  impact: string;
  confirm: 'simple' | 'typed';
  confirmText: string | null;
  warnings: string[];
  timeoutSec: number;
  servers: PlannedServer<T>[];
}

export function planAction<T extends PlanTarget>(book: RecipeBook, action: ActionKind, servers: readonly T[], params: ParamInput): ActionPlanResult<T> {
  if (servers.length === 0) throw invalid('serverIds', 'Select at least one server.');
  const planned = servers.map((server) => {
    const recipe = findRecipe(book, action, server.type);
    return { server, recipe, command: renderRecipe(recipe, params, book.defaults) };
  });
  const first = planned[0]!.recipe;
  const warnings: string[] = [];

  const guards = new Set(planned.flatMap((p) => p.recipe.guards));
  if (guards.has('update-pending')) {
    const current = servers.filter((s) => !s.updatePending);
    if (current.length > 0) {
      throw new DomainError(
        'invalid-input',
        `${first.label} runs only when the server shows "There's a pending update on the server"; ${names(current)} ${current.length === 1 ? 'has' : 'have'} none.`,
        { field: 'serverIds' },
      );
    }
  }
  if (guards.has('idle-only')) {
    const busy = servers.filter((s) => s.activeChannels !== null && s.activeChannels > 0);
    if (busy.length > 0) {
      warnings.push(`${names(busy)} ${busy.length === 1 ? 'has' : 'have'} active calls (${busy.map((s) => s.activeChannels).join(', ')}): upgraded services restart and those calls stop. Auto Upgrade would wait for zero channels.`);
    }
  }
  if (action === 'resize') {
    const impact = resizeImpact(Number(params['channels']));
    if (impact.warning) warnings.push(impact.warning);
  }

  // Typed confirmation for a destructive action on more than one server: the count typed back.
  const typed = planned.some((p) => p.recipe.confirm === 'typed') && servers.length > 1;
  return {
    action,
    label: first.label,
    impact: first.impact,
    confirm: typed ? 'typed' : 'simple',
    confirmText: typed ? String(servers.length) : null,
    warnings,
    timeoutSec: Math.max(...planned.map((p) => p.recipe.timeoutSec)),
    servers: planned,
  };
}

/** Refuses a run whose typed confirmation does not match the plan. */
export function checkConfirmation(plan: Pick<ActionPlanResult, 'confirm' | 'confirmText' | 'label' | 'servers'>, typed: string | undefined): void {
  if (plan.confirm !== 'typed') return;
  if ((typed ?? '').trim() === plan.confirmText) return;
  const count = plan.servers.length;
  throw invalid(
    'confirmation',
    typed === undefined || typed.trim() === ''
      ? `${plan.label} on ${count} servers needs the number of servers typed back: type ${count} to confirm.`
      : `"${typed.trim().slice(0, 20)}" is not the number of servers: type ${count} to run ${plan.label} on ${count} servers.`,
  );
}

function names(servers: readonly PlanTarget[]): string {
  const shown = servers.slice(0, 5).map((s) => `${s.alias} (${s.ip})`);
  return servers.length > 5 ? `${shown.join(', ')} and ${servers.length - 5} more` : shown.join(', ');
}
