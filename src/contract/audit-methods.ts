import { z } from 'zod';
import { query } from './spec';

// The audit log: who did what, when and from where (sign-ins, account changes, action runs,
// silences, acknowledgements, setting changes, imports and every other change). Reading it is a
// query: a viewer may read it, like everything else it sees.

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.number().int(),
  /** A short stable word: 'sign-in', 'action-run', 'acknowledge', 'silence', 'setting-change', 'import', 'change', … */
  kind: z.string(),
  /** The signed-in account; 'local user' on a single-seat host (the desktop app, the loopback web host). */
  account: z.string(),
  /** The client's address, when the call came over the network. */
  address: z.string().nullable(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditFilter = z.strictObject({
  /** From this time on (UTC ms). */
  since: z.number().int('must be a whole number of milliseconds').min(0, 'must not be before 1970').optional(),
  until: z.number().int('must be a whole number of milliseconds').min(0, 'must not be before 1970').optional(),
  kind: z.string().trim().max(40, 'must be at most 40 characters').optional(),
  account: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  limit: z.number().int('must be a whole number').min(1, 'must be at least 1').max(5000, 'must be at most 5000').default(500),
});
export type AuditFilter = z.input<typeof AuditFilter>;
/** The filter as the host reads it (the limit filled in). */
export type AuditQuery = z.output<typeof AuditFilter>;

/** How long the log keeps its lines: whichever bound is reached first. */
export const AuditRetention = z.object({ days: z.number().int(), maxEntries: z.number().int() });
export type AuditRetention = z.infer<typeof AuditRetention>;

export const auditMethods = {
  /** Newest first, with how many lines match in all and the kinds present (for the filter). */
  'audit:list': query(
    AuditFilter,
    z.object({ entries: z.array(AuditEntry), total: z.number().int(), kinds: z.array(z.string()), retention: AuditRetention }),
  ),
  /** The lines the filter matches as a file: JSON with every field, or CSV for a spreadsheet. */
  'audit:export': query(
    z.strictObject({ format: z.enum(['json', 'csv']), filter: AuditFilter.default({ limit: 5000 }) }),
    z.object({ text: z.string(), fileName: z.string() }),
  ),
};
