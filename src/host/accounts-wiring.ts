import { AccountsService } from '../services/accounts/accounts-service';
import type { AuditLog } from '../services/audit/audit-types';
import { currentCaller } from './caller';
import type { HostCore } from './core-wiring';

// The accounts of a team host, for the composition root (app.ts): always the live database's,
// never a snapshot's (a snapshot carries no accounts, and showing one must not change who may sign
// in). A host started on a snapshot file has no live database: its list is the snapshot's, empty.
// Each change is recorded in the audit log as the caller dispatch runs it as.

export function createAccountsWiring(core: Pick<HostCore, 'liveStore' | 'store' | 'hostClock'>, audit: AuditLog): AccountsService {
  const store = core.liveStore ?? core.store;
  return new AccountsService({
    repo: store.accounts,
    transaction: (work) => store.transaction(work),
    audit,
    who: () => {
      const caller = currentCaller();
      return { account: caller.account, address: caller.address };
    },
    clock: core.hostClock,
  });
}
