// The maintenance the console sets around its own actions: each server of a run is in maintenance
// from the start of the run until its part ends plus the action's grace period. Probes go on and
// are stored; alerts are evaluated but not sent; a server still down when the grace ends alerts.
import type { RunMaintenance } from '../actions/actions-service';
import type { Store } from '../store/store';

export function createRunMaintenance(deps: {
  store: Store;
  onChanged: () => void;
}): RunMaintenance & { closeInterrupted(at: number): number } {
  const { store } = deps;
  return {
    started(run) {
      store.transaction(() => {
        for (const server of run.servers) {
          store.holds.startMaintenance({
            serverId: server.id,
            alias: server.alias,
            runId: run.runId,
            reason: run.label,
            startsAt: run.at,
            graceMs: server.graceMs,
            createdBy: run.user,
          });
        }
      });
      deps.onChanged();
    },
    ended(runId, at, serverId) {
      // The host may be closing under the run's last events: nothing to hold then.
      if (!store.db.open) return;
      if (store.holds.endRunMaintenance(runId, at, serverId) > 0) deps.onChanged();
    },
    /** Runs a stopped host left open: their maintenance ends with its grace from now. */
    closeInterrupted: (at) => store.holds.endOpenMaintenance(at),
  };
}
