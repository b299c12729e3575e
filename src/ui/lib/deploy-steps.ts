import type { ServerDraft } from '../../contract/fleet';
import type { FleetContext } from '../../domain/fleet/rules';
import { checkServerDraft } from '../../domain/fleet/server-draft-check';

// What each step of the Deploy wizard must get right before Next: the same checks the host makes
// on the draft (schema and fleet rules), narrowed to the fields that step shows, so a step never
// passes on something the install would then refuse.

export type CheckedStep = 'placement' | 'host';

const STEP_FIELDS: Record<CheckedStep, (field: string) => boolean> = {
  placement: (f) => ['zoneId', 'clusterId', 'type', 'channels', 'cps'].includes(f),
  host: (f) => f === 'ip' || f === 'alias' || f.startsWith('ssh.'),
};

export interface StepIssue {
  field: string;
  message: string;
}

export function deployStepIssues(step: CheckedStep, draft: ServerDraft, password: string, ctx: FleetContext): StepIssue[] {
  const issues: StepIssue[] = checkServerDraft(draft, ctx, null)
    .filter((i) => STEP_FIELDS[step](i.field))
    .map(({ field, message }) => ({ field, message }));
  if (step === 'host' && draft.ssh.auth === 'password' && password === '') {
    issues.push({ field: 'password', message: 'SSH password is required with password authentication (it is kept in the secret store).' });
  }
  return issues;
}

/** The wizard's control for a field (`ssh.keyPath` → `deploy-ssh-keyPath`), to focus the first refused. */
export function deployControlId(field: string): string {
  return `deploy-${field.replaceAll('.', '-')}`;
}

/** Why "Deploy and install" cannot be pressed yet, or null when it can. */
export function deployBlockedReason(
  check: { ok: boolean; shortfallCents: number; requiredCents: number } | null,
  money: (cents: number) => string,
): string | null {
  if (check === null) return 'Checking the balance…';
  if (check.ok) return null;
  return `Short by ${money(check.shortfallCents)}: the account needs ${money(check.requiredCents)} available. Update the balance above once billing shows it.`;
}
