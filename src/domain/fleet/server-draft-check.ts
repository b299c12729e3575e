import { ServerDraft } from '../../contract/fleet';
import type { FieldIssue } from '../errors';
import { serverIssues, type FleetContext } from './rules';
import { draftSchemaIssues, labelIssues, type LabelledIssue } from './server-fields';

/**
 * Every problem of a server draft at once, as the host would find them: the contract's schema
 * (zod reports every field) and the fleet's rules (a clash, a missing FQDN), in the form's words
 * and order, one per field. The host checks the same things again; this only lets a form (and the
 * Deploy wizard, step by step) show them all before anything is sent.
 */
export function checkServerDraft(draft: ServerDraft, ctx: FleetContext, selfId: string | null): LabelledIssue[] {
  const parsed = ServerDraft.safeParse(draft);
  const issues: FieldIssue[] = parsed.success ? [] : draftSchemaIssues(parsed.error);
  // The rules read strings and flags only, so they are safe on a draft whose numbers are refused.
  issues.push(...serverIssues(parsed.success ? parsed.data : draft, ctx, selfId));
  return labelIssues(issues).labelled;
}
