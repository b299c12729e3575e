import { z } from 'zod';
import { ActionName } from '../../contract/action-names';
import { ServerType } from '../../contract/fleet';
import { DomainError, invalid } from '../errors';
import { OutOfBandSteps } from '../power/power-plan';
import { checkOperatorParams, OperatorParams } from './recipe-params';
import { ApibanRecipes, RegistrationsRecipe } from './platform-recipes';
import { CertificateRecipes } from './certificate-recipes';
import { UacRecipes } from '../uac/uac-recipes';
import { DispatcherRecipe } from '../dispatcher/dispatcher-recipe';
import { shellJoin } from './shell-quote';

// An action is a recipe: an argv template, the words of impact the operator reads before
// confirming, the confirmation it needs, a timeout and guards. Templates hold `{param}`
// placeholders that are substituted inside argv elements and then quoted by shellJoin, so a
// parameter is always literal text to the remote program. Power Cycle and OS Cycle are recipes
// too, but run out of band: power steps sent from this workstation to the server's controller.

/** The contract's one list of actions (src/contract/action-names.ts): a recipe can name no other. */
export const ActionKind = ActionName;
export type ActionKind = ActionName;

/** Actions that must never run over SSH on the server itself: the server may be the thing that hangs. */
export const OUT_OF_BAND_ONLY: ReadonlySet<ActionKind> = new Set<ActionKind>(['power-cycle', 'os-cycle']);

export const RecipeGuard = z.enum(['update-pending', 'idle-only']);
export type RecipeGuard = z.infer<typeof RecipeGuard>;

const ParamName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a parameter name (letters, digits, _)');
const ParamValues = z.record(ParamName, z.string());

export const Recipe = z
  .strictObject({
    action: ActionKind,
    label: z.string().trim().min(1).max(80),
    /**
     * The argv template run over SSH; null means "not configured", and rendering it is refused with
     * `unconfigured`. Absent on an out-of-band recipe.
     */
    command: z.array(z.string()).min(1).nullable().default(null),
    /** Why the command is missing and how to supply it; shown when `command` is null. */
    unconfigured: z.string().trim().min(1).optional(),
    /** Power steps sent from this workstation to the server's out-of-band controller, instead of a command. */
    outOfBand: OutOfBandSteps.optional(),
    /** What an operator may supply, by name and shape; every other placeholder comes from the defaults. */
    params: OperatorParams,
    impact: z.string().trim().min(1),
    /** How it differs from the actions that end in a similar state, read in its dialog before confirming. */
    differs: z.string().trim().min(1).optional(),
    /** A reboot ends the SSH session: a connection lost once the command started counts as done. */
    expectDisconnect: z.boolean().default(false),
    confirm: z.enum(['simple', 'typed']),
    timeoutSec: z.number().int().positive().max(86_400),
    guards: z.array(RecipeGuard).default([]),
    appliesTo: z.array(ServerType).min(1),
    /** Defaults for this recipe's parameters, over the book's shared defaults. */
    defaults: ParamValues.default({}),
    /**
     * How long its servers stay in maintenance after the run ends (alerts held, probes going on), in
     * seconds; absent: the action's default (see maintenance-grace.ts).
     */
    maintenanceGraceSec: z.number().int().min(0).max(86_400).optional(),
    /** Resize Capacity over 1,000 channels reboots the server: the grace after such a run. */
    rebootGraceSec: z.number().int().min(0).max(86_400).optional(),
  })
  .superRefine((recipe, ctx) => {
    if (recipe.outOfBand && recipe.command !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message: `${recipe.label} has both a command and out-of-band steps: give one of them`,
      });
    }
    if (OUT_OF_BAND_ONLY.has(recipe.action) && !recipe.outOfBand && recipe.command !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message: `${recipe.label} runs out of band (from this workstation to the server's power controller), never over SSH on the server it must power off: replace "command" with "outOfBand": {"steps": [...]}`,
      });
    }
  });
export type Recipe = z.infer<typeof Recipe>;

export const Probe = z.strictObject({
  label: z.string().trim().min(1),
  command: z.array(z.string()).min(1),
  timeoutSec: z.number().int().positive().max(3_600),
  /** Values for the command's placeholders (the load probe's Kamailio control socket). */
  defaults: ParamValues.default({}),
});
export type Probe = z.infer<typeof Probe>;

export const RecipeBook = z.strictObject({
  version: z.literal(1),
  /** Parameters every recipe may use (the SIP service name, `kamailio` by default). */
  defaults: ParamValues.default({}),
  recipes: z.array(Recipe).min(1),
  probes: z.strictObject({ load: Probe }),
  /** Applying the APIBAN banned list to a server's firewall. */
  apiban: ApibanRecipes.optional(),
  /** Reading a server's registered user locations. */
  registrations: RegistrationsRecipe.optional(),
  /** Installing certificates and answering ACME's HTTP-01 challenge on a server. */
  certificates: CertificateRecipes.optional(),
  /** Reading a dispatcher's destinations as Kamailio's dispatcher module sees them. */
  dispatcher: DispatcherRecipe.optional(),
  /** UAC Auth: pushing upstream registrations into Kamailio's uac module and reading their state. */
  uac: UacRecipes.optional(),
});
export type RecipeBook = z.infer<typeof RecipeBook>;

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The parameter names a template uses, in order of first use. */
export function templateParams(command: readonly string[]): string[] {
  const names = new Set<string>();
  for (const part of command) for (const match of part.matchAll(PLACEHOLDER)) if (match[1]) names.add(match[1]);
  return [...names];
}

export interface RenderedCommand {
  argv: string[];
  /** The one line sent to the remote shell: argv quoted by shellJoin. */
  line: string;
}

export type ParamInput = Readonly<Record<string, string | number>>;

/**
 * Fills a template. `params` are the caller's values; `defaults` (book, then recipe) fill the
 * rest. A caller's parameter the template does not use is refused: it is almost always a typo,
 * and silently dropping "chanels=2000" would run the action with the old value.
 */
export function renderCommand(
  command: readonly string[],
  params: ParamInput,
  defaults: Readonly<Record<string, string>> = {},
  what = 'The command',
): RenderedCommand {
  const used = new Set(templateParams(command));
  for (const name of Object.keys(params)) {
    if (!used.has(name)) throw invalid(`params.${name}`, `${what} has no parameter "${name}" (it uses ${describe([...used])}).`);
  }
  const values = new Map<string, string>();
  for (const name of used) {
    const given = params[name];
    const value = given === undefined ? defaults[name] : String(given);
    if (value === undefined) throw invalid(`params.${name}`, `${what} needs the parameter "${name}", and it has no default.`);
    values.set(name, value);
  }
  const argv = command.map((part) =>
    part.replace(PLACEHOLDER, (token: string, name: string | undefined) => {
      if (token === '{{') return '{';
      if (token === '}}') return '}';
      return values.get(name ?? '') ?? '';
    }),
  );
  return { argv, line: shellJoin(argv) };
}

function describe(names: string[]): string {
  return names.length === 0 ? 'none' : names.map((n) => `"${n}"`).join(', ');
}

/**
 * Renders an SSH recipe for one server, or refuses in words the operator can act on. The caller's
 * parameters must be ones the recipe declares, in their shape (`where` names the servers in the
 * message); the book's and the recipe's defaults fill the rest.
 */
export function renderRecipe(
  recipe: Recipe,
  params: ParamInput,
  bookDefaults: Readonly<Record<string, string>> = {},
  where: string = recipe.label,
): RenderedCommand {
  const checked = checkOperatorParams(recipe.params, params, where);
  if (recipe.outOfBand) throw new DomainError('invalid-input', `${recipe.label} runs out of band, not over SSH.`, { field: 'action' });
  if (recipe.command === null) {
    throw new DomainError('invalid-input', recipe.unconfigured ?? `${recipe.label} has no command configured.`, { field: 'command' });
  }
  return renderCommand(recipe.command, checked, { ...bookDefaults, ...recipe.defaults }, where);
}

/** The recipe for an action on a server type, or a refusal naming what is missing. */
export function findRecipe(book: RecipeBook, action: ActionKind, type: ServerType): Recipe {
  const recipe = book.recipes.find((r) => r.action === action && r.appliesTo.includes(type));
  if (!recipe) throw invalid('action', `No recipe for "${action}" on a ${type} server.`);
  return recipe;
}

/** The reference: 1,001 channels or more reboots the server at once. */
export const RESIZE_REBOOT_ABOVE = 1000;

export interface ResizeImpact {
  reboots: boolean;
  warning: string | null;
}

export function resizeImpact(channels: number): ResizeImpact {
  if (channels > RESIZE_REBOOT_ABOVE) {
    return {
      reboots: true,
      warning:
        `Resizing to ${channels} channels (more than ${RESIZE_REBOOT_ABOVE}) reboots the server as soon as you confirm. ` +
        'All calls will stop, and the server can take up to 10 minutes to finish rebooting and begin services again.',
    };
  }
  return { reboots: false, warning: null };
}
