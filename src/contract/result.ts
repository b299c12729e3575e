import { z } from 'zod';

// Every call answers with this envelope, over IPC and over HTTP alike, so the UI handles one shape.

export const ErrorCode = z.enum([
  'invalid-input',
  'not-found',
  'conflict',
  'read-only',
  'unknown-method',
  'unauthorized',
  'forbidden',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const CallError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Dotted path of the offending field (`config.ports.udp`), when one field is to blame. */
  field: z.string().optional(),
  /** For imports: the 1-based row (CSV line or JSON array position) that was refused. */
  row: z.number().int().optional(),
  /** Every field refused at once, so a form can mark them all; `field`/`message` is the first. */
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type CallError = z.infer<typeof CallError>;

export type Result<T> = { ok: true; data: T } | { ok: false; error: CallError };

export function resultSchema<T extends z.ZodType>(data: T) {
  return z.union([z.object({ ok: z.literal(true), data }), z.object({ ok: z.literal(false), error: CallError })]);
}
