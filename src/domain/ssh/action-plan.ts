import type { ServerType } from '../../contract/fleet';
import type { OutOfBandMethod } from '../../contract/power-methods';
import { DomainError, invalid } from '../errors';
import { checkPowerMethod } from '../power/power-method';
import { impactFor } from './impact-wording';
import { renderPower, type RenderedPower } from '../power/power-plan';
import { checkOperatorParams } from './recipe-params';
import { shellJoin } from './shell-quote';
import {
  findRecipe,
  renderRecipe,
  resizeImpact,
  RESIZE_REBOOT_ABOVE,
  type ActionKind,
  type ParamInput,
  type Recipe,
  type RecipeBook,
} from './recipe';

// What an action will do on a selection, decided before anything runs: the recipe per server
// type, each server's command line (or its out-of-band power steps), the confirmation it needs and
// the warnings to read first. The host computes the same plan again when the run is asked for, so
// a check made only in the UI (the typed count, a guard) cannot be skipped by calling the host.

export interface PlanTarget {
  id: string;
  alias: string;
  ip: string;
  type: ServerType;
  updatePending: boolean;
  /** Active calls from the last load reading; null when unknown. */
  activeChannels: number | null;
  /** What this server gives a recipe's operator parameters the caller left out (its install command). */
  paramDefaults?: Readonly<Record<string, string>>;
  /** How its power controller is reached from this workstation; null or absent: none set. */
  outOfBand?: OutOfBandMethod | null;
  /** Whether the IPMI password is in the secret store. */
  outOfBandPasswordSet?: boolean;
}

/** `line` is exactly what runs (the audit log's); `display` is the same, shortened for the dialog. */
export type RenderedAction =
  | { via: 'ssh'; argv: string[]; line: string; display: string }
  | { via: 'out-of-band'; method: OutOfBandMethod; power: RenderedPower; line: string; display: string };

const SHELLS = new Set(['sh', 'bash', 'dash']);

/** A recipe's inline script (`sh -c SCRIPT NAME ARGS`) reads as its name and arguments. */
function sshDisplay(argv: readonly string[], line: string): string {
  if (argv.length >= 3 && SHELLS.has(argv[0] ?? '') && argv[1] === '-c') return `${argv[0]} -c '…' ${shellJoin(argv.slice(3))}`.trimEnd();
  return line;
}

/** IPMI steps as the operator reads them: the BMC once, then each power step. */
function powerDisplay(method: OutOfBandMethod, power: RenderedPower): string {
  if (method.method !== 'ipmi') return power.line;
  const steps = power.steps.map((s) =>
    s.kind === 'call' ? `chassis power ${s.call.op}` : `wait until ${s.until} (up to ${power.waitSec} s)`,
  );
  return `ipmitool → BMC ${method.host}:${method.port} as ${method.user}: ${steps.join(' → ')}`;
}

export interface PlannedServer<T extends PlanTarget = PlanTarget> {
  server: T;
  recipe: Recipe;
  command: RenderedAction;
  /** The operator parameters this server runs with (the caller's, else its own defaults). */
  params: Record<string, string>;
}

export interface ActionPlanResult<T extends PlanTarget = PlanTarget> {
  action: ActionKind;
  label: string;
  impact: string;
  differs: string | null;
  runsOn: 'ssh' | 'out-of-band';
  confirm: 'simple' | 'typed';
  confirmText: string | null;
  confirmHint: string | null;
  warnings: string[];
  timeoutSec: number;
  servers: PlannedServer<T>[];
}

const who = (s: Pick<PlanTarget, 'alias' | 'ip'>): string => `${s.alias} (${s.ip})`;

/** The operator parameters one server runs with: the caller's, else the server's own, for declared names only. */
function paramsFor(recipe: Recipe, server: PlanTarget, params: ParamInput): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const name of Object.keys(recipe.params)) {
    const own = server.paramDefaults?.[name];
    if (own !== undefined) merged[name] = own;
  }
  for (const [name, value] of Object.entries(params)) merged[name] = String(value);
  for (const [name, param] of Object.entries(recipe.params)) {
    if (merged[name] !== undefined || !recipe.command?.some((part) => part.includes(`{${name}}`))) continue;
    if (param.shape === 'install-command') {
      throw invalid(
        `params.${name}`,
        `${recipe.label} needs an install command for ${who(server)}: none is set for it or for the fleet. Set one in Settings → Server actions (every server), or in the server's Config → Install command, or type one here.`,
      );
    }
    throw invalid(`params.${name}`, `${recipe.label} on ${who(server)} needs "${param.label}", and none was given.`);
  }
  return merged;
}

function render(
  book: RecipeBook,
  recipe: Recipe,
  server: PlanTarget,
  params: ParamInput,
): { command: RenderedAction; params: Record<string, string> } {
  const where = `${recipe.label} on ${who(server)}`;
  if (!recipe.outOfBand) {
    const own = paramsFor(recipe, server, params);
    const rendered = renderRecipe(recipe, own, book.defaults, where);
    return { command: { via: 'ssh', ...rendered, display: sshDisplay(rendered.argv, rendered.line) }, params: own };
  }
  checkOperatorParams(recipe.params, params, where);
  const method = server.outOfBand ?? null;
  if (method === null) {
    throw new DomainError(
      'invalid-input',
      `${who(server)} has no out-of-band method. ${recipe.unconfigured ?? `${recipe.label} runs through the server's power controller, never over SSH.`}`,
      { field: 'outOfBand' },
    );
  }
  checkPowerMethod(method);
  if (method.method === 'ipmi' && server.outOfBandPasswordSet !== true) {
    throw new DomainError(
      'invalid-input',
      `${where}: no IPMI password is stored for user "${method.user}" at the BMC ${method.host}:${method.port}. Set it in the server's Config → Out-of-band power (a console in a browser keeps it only until it stops).`,
      { field: 'outOfBand.password' },
    );
  }
  const power = renderPower(recipe.outOfBand, method, server);
  return { command: { via: 'out-of-band', method, power, line: power.line, display: powerDisplay(method, power) }, params: {} };
}

export function planAction<T extends PlanTarget>(
  book: RecipeBook,
  action: ActionKind,
  servers: readonly T[],
  params: ParamInput,
): ActionPlanResult<T> {
  if (servers.length === 0) throw invalid('serverIds', 'Select at least one server.');
  const planned = servers.map((server) => {
    const recipe = findRecipe(book, action, server.type);
    return { server, recipe, ...render(book, recipe, server, params) };
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
      warnings.push(
        `${names(busy)} ${busy.length === 1 ? 'has' : 'have'} active calls (${busy.map((s) => s.activeChannels).join(', ')}): upgraded services restart and those calls stop. Auto Upgrade would wait for zero channels.`,
      );
    }
  }
  const channels = action === 'resize' ? Number(planned[0]!.params['channels']) : 0;
  const impact = resizeImpact(channels);
  if (impact.warning) warnings.push(impact.warning);

  // Typed confirmation: the count typed back for a destructive action on more than one server, and
  // the new channel count for a resize that reboots (over 1,000 channels), even on one server.
  const many = planned.some((p) => p.recipe.confirm === 'typed') && servers.length > 1;
  const reboots = action === 'resize' && channels > RESIZE_REBOOT_ABOVE;
  return {
    action,
    label: first.label,
    impact: impactFor(first.impact, servers.length),
    differs: first.differs ?? null,
    runsOn: first.outOfBand ? 'out-of-band' : 'ssh',
    confirm: many || reboots ? 'typed' : 'simple',
    confirmText: many ? String(servers.length) : reboots ? String(channels) : null,
    confirmHint: many ? 'the number of servers' : reboots ? 'the new channel count' : null,
    warnings,
    timeoutSec: Math.max(...planned.map((p) => p.recipe.timeoutSec)),
    servers: planned,
  };
}

/** Refuses a run whose typed confirmation does not match the plan. */
export function checkConfirmation(
  plan: Pick<ActionPlanResult, 'confirm' | 'confirmText' | 'confirmHint' | 'label' | 'servers'>,
  typed: string | undefined,
): void {
  if (plan.confirm !== 'typed') return;
  if ((typed ?? '').trim() === plan.confirmText) return;
  const count = plan.servers.length;
  const expected = plan.confirmText ?? '';
  const what = plan.confirmHint ?? 'the number of servers';
  const onWhat = count === 1 ? `${plan.label}` : `${plan.label} on ${count} servers`;
  throw invalid(
    'confirmation',
    typed === undefined || typed.trim() === ''
      ? `${onWhat} needs ${what} typed back: type ${expected} to confirm.`
      : `"${typed.trim().slice(0, 20)}" is not ${what}: type ${expected} to run ${onWhat}.`,
  );
}

function names(servers: readonly PlanTarget[]): string {
  const shown = servers.slice(0, 5).map(who);
  return servers.length > 5 ? `${shown.join(', ')} and ${servers.length - 5} more` : shown.join(', ');
}
