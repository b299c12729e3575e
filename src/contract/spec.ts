import type { z } from 'zod';

/**
 * One entry per call: its input, its output, and whether it changes anything. `mutates` is what
 * a read-only host (wall display, open snapshot) checks, so it is declared here, beside the call,
 * where nobody can add a method and forget it.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  mutates: boolean;
}

export function query<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> {
  return { input, output, mutates: false };
}
export function command<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> {
  return { input, output, mutates: true };
}

