import { isMethodName, methods } from '../contract/methods';
import { createAuditLog, type AuditService } from '../services/audit/audit-log';
import { describeCall } from '../services/audit/call-audit';
import { LOCAL_CALLER, currentCaller } from './caller';
import type { HostCore } from './core-wiring';
import { parseInput, type Dispatch } from './dispatch';

// The audit log for the composition root (app.ts): the store-backed log (exposed as `audit` on the
// opened host, for sign-ins and account changes), and the dispatch wrapper that writes one line
// for every call that changed something, or was refused for the caller's role, attributed to the
// caller dispatch was given.

export interface AuditWiring {
  audit: AuditService;
  /** The same dispatch, plus a line in the audit log after each call that changed something. */
  audited(dispatch: Dispatch): Dispatch;
}

export function createAuditWiring(core: Pick<HostCore, 'liveStore' | 'store' | 'hostClock' | 'bus' | 'log'>): AuditWiring {
  const audit = createAuditLog({
    liveStore: core.liveStore,
    store: core.store,
    clock: core.hostClock,
    emit: (entry) => core.bus.emit('audit:recorded', entry),
    log: core.log,
  });
  return {
    audit,
    audited:
      (dispatch) =>
      async (method, input, caller = LOCAL_CALLER) => {
        const result = await dispatch(method, input, caller);
        // A call refused for the caller's role is kept too: who tried what they may not do.
        if (!result.ok && result.error.code === 'forbidden') {
          audit.record({
            kind: 'refused',
            account: caller.account,
            ...(caller.address ? { address: caller.address } : {}),
            detail: result.error.message,
          });
        }
        if (!result.ok || !isMethodName(method)) return result;
        const spec = methods[method];
        // Reads are not kept; a change of data, or of what every console shows (a snapshot put on show), is.
        const changes = spec.mutates || spec.effects.includes('shared-state');
        if (!changes) return result;
        // Dispatch accepted this input, so it parses; the parsed form has the defaults filled in.
        const parsed = parseInput(spec, input);
        const line = describeCall(method, changes, parsed.success ? parsed.data : input, result.data);
        if (line !== null) audit.record({ ...line, account: caller.account, ...(caller.address ? { address: caller.address } : {}) });
        return result;
      },
  };
}

/**
 * The name a record keeps for who acted (an alert's acknowledged-by, a silence's created-by): the
 * signed-in account on a team host; at a single-seat console, the OS user, as before accounts.
 */
export function actorName(osUser: string): string {
  const caller = currentCaller();
  return caller.account === LOCAL_CALLER.account ? osUser : caller.account;
}

/** Who started a run, for its record: the caller's account and address ('local user' at the console). */
export function currentActor(): { account: string; address: string | null } {
  const caller = currentCaller();
  return { account: caller.account, address: caller.address ?? null };
}
