import type { z } from 'zod';
import type { Role } from './roles';

/**
 * What a call does beyond reading the fleet that is shown, each a reason a read-only host (a wall
 * display started with `--read-only`) refuses it even though it changes no fleet data:
 * - `writes-file`: writes into the host's data folder (a snapshot upload, say);
 * - `starts-process`: runs a program on this host or a command on a server;
 * - `connects`: opens a connection to a server (SSH, TLS, a feed);
 * - `shared-state`: changes what every console of this host sees or does (showing a snapshot
 *   switches every viewer and pauses the live monitoring).
 */
export type Effect = 'writes-file' | 'starts-process' | 'connects' | 'shared-state';

/**
 * One entry per call: its input, its output, whether it changes the fleet's data and what else
 * it does. Both are what a read-only host (wall display) and a snapshot view check, so they are
 * declared here, beside the call, where nobody can add a method and forget them.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** Changes stored data: refused while a snapshot is shown and on a read-only host. */
  mutates: boolean;
  /** Effects beyond the data: refused on a read-only host, allowed on a snapshot view. */
  effects: readonly Effect[];
  /**
   * For a call whose effects depend on its input (`refresh: true` reads the servers again): the
   * effects apply only to inputs this accepts, judged after the input is parsed.
   */
  effectsWhen?: (input: z.output<I>) => boolean;
  /**
   * The least role a team host's account needs to make the call (the local user is an admin).
   * By default: viewer for a query without effects, admin for anything a read-only host refuses;
   * `withRole` lowers it to operator for the day-to-day work of a NOC (acknowledge, silence, tools,
   * server actions) or raises a query to admin (the accounts list). With `effectsWhen`, the role
   * applies to the inputs that have the effects; the others need only viewer.
   */
  role: Role;
}

export function query<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  effects: readonly Effect[] = [],
  effectsWhen?: (input: z.output<I>) => boolean,
): MethodSpec<I, O> {
  const role: Role = effects.length === 0 ? 'viewer' : 'admin';
  return { input, output, mutates: false, effects, ...(effectsWhen ? { effectsWhen } : {}), role };
}
export function command<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> {
  return { input, output, mutates: true, effects: [], role: 'admin' };
}

/**
 * The same call, needing `role` instead of its default. A viewer never gets a call that changes or
 * runs anything (the read-only rules of a wall display): that would be a contract error, thrown here.
 */
export function withRole<S extends MethodSpec>(role: Role, spec: S): S {
  if (role === 'viewer' && (spec.mutates || spec.effects.length > 0)) {
    throw new Error('A call that changes or runs something cannot be open to viewers.');
  }
  return { ...spec, role };
}

/**
 * The role a call needs. Without `parsedInput` this is the role checked before the input is looked
 * at (viewer for calls whose effects depend on the input, which are judged again once parsed).
 */
export function roleNeeded(spec: MethodSpec, parsedInput?: unknown): Role {
  if (spec.effectsWhen === undefined || spec.role === 'viewer') return spec.role;
  if (parsedInput === undefined) return 'viewer';
  return (spec.effectsWhen as (input: unknown) => boolean)(parsedInput) ? spec.role : 'viewer';
}

/**
 * A read-only host answers only what changes nothing anywhere: no data, no file, no process, no
 * connection, no shared view. Without `parsedInput` this says whether the call can be refused
 * before its input is looked at (always, unless its effects depend on the input).
 */
export function allowedOnReadOnlyHost(spec: MethodSpec, parsedInput?: unknown): boolean {
  if (spec.mutates) return false;
  if (spec.effects.length === 0) return true;
  if (spec.effectsWhen === undefined) return false;
  return parsedInput === undefined ? true : !(spec.effectsWhen as (input: unknown) => boolean)(parsedInput);
}
