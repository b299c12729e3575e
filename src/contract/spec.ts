import type { z } from 'zod';

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
}

export function query<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  effects: readonly Effect[] = [],
  effectsWhen?: (input: z.output<I>) => boolean,
): MethodSpec<I, O> {
  return { input, output, mutates: false, effects, ...(effectsWhen ? { effectsWhen } : {}) };
}
export function command<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> {
  return { input, output, mutates: true, effects: [] };
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
