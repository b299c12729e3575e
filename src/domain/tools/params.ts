// Parameters of a run, checked with zod at every door (CLI, IPC, stored history) so the argv
// builders only ever see numbers in range.
import { z } from 'zod';

export const PingParams = z.strictObject({
  /** Echo requests to send. */
  count: z.int().min(1).max(1000).default(4),
  /** Seconds between requests; iputils refuses less than 0.2 s to an unprivileged user. */
  intervalS: z.number().min(0.2).max(60).default(1),
});
export type PingParams = z.infer<typeof PingParams>;

export const MtrParams = z.strictObject({
  /** Probe rounds (mtr's -c). */
  count: z.int().min(1).max(1000).default(10),
  /** Highest TTL probed (mtr's -m); mtr itself stops at 255. */
  maxHops: z.int().min(1).max(64).default(30),
});
export type MtrParams = z.infer<typeof MtrParams>;

export const ToolParams = z.discriminatedUnion('tool', [
  PingParams.extend({ tool: z.literal('ping') }),
  MtrParams.extend({ tool: z.literal('mtr') }),
]);
export type ToolParams = z.infer<typeof ToolParams>;

/** The first problem zod found, in words a user can act on. */
export function describeParamsError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid parameters.';
  const field = issue.path.join('.') || 'parameters';
  return `${field}: ${issue.message}`;
}
