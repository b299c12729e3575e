// Who started an action run, as the actions log shows it: the signed-in account on a team host;
// at a single-seat console (account 'local user') the OS user, as the log has always said.
import type { ActionRunSummary } from '../../contract/actions-methods';

type Who = Pick<ActionRunSummary, 'account' | 'address' | 'user' | 'origin'>;

const LOCAL = 'local user';

export function runBy(run: Who): string {
  return run.account === LOCAL ? run.user : run.account;
}

/** The hover text: every fact kept about who and from where. */
export function runByTitle(run: Who): string {
  const who = run.account === LOCAL ? `${run.user} (OS user) at this console` : `account ${run.account}`;
  const from = run.address === null ? '' : ` from ${run.address}`;
  return `Started by ${who}${from}, through the ${run.origin} console`;
}
