import type { ActionRunDetail, ActionRunSummary, RunFilter, RunProgress, RunState } from '../../contract/actions-methods';
import { notFound } from '../../domain/errors';
import { formatRunsCsv, formatRunsJson } from '../../domain/ssh/audit-export';
import type { ActionResultRecord, ActionRunRecord } from '../store/action-runs-repo';
import type { Store } from '../store/store';

// Reading the audit log: search, one run with its outputs, export. Outputs are whole in the store;
// `outputLimit` cuts each to its last characters for the view only.

const progressOf = (results: readonly ActionResultRecord[]): RunProgress => {
  const count = (s: RunState) => results.filter((r) => r.state === s).length;
  const queued = count('queued');
  const running = count('running');
  return {
    total: results.length,
    done: count('done'),
    failed: count('failed'),
    skipped: count('skipped'),
    cancelled: count('cancelled'),
    running,
    remaining: queued + running,
  };
};

function toSummary(run: ActionRunRecord, results: readonly ActionResultRecord[]): ActionRunSummary {
  return {
    id: run.id,
    action: run.action as ActionRunSummary['action'],
    label: run.label,
    params: run.params,
    options: run.options,
    user: run.requestedBy,
    origin: run.origin,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    status: run.status,
    stoppedBy: run.stoppedBy,
    account: run.account,
    address: run.address,
    progress: progressOf(results),
    servers: results.map((r) => ({ id: r.serverId, alias: r.alias, ip: r.ip, state: r.state })),
  };
}

export function createRunQueries(store: Store) {
  const repo = store.actionRuns;
  const detail = (id: string, outputLimit: number | null): ActionRunDetail => {
    const run = repo.get(id);
    if (!run) throw notFound('Action run', id);
    const results = repo.results(id, outputLimit);
    return { ...toSummary(run, results), results };
  };
  return {
    summary(id: string): ActionRunSummary {
      const run = repo.get(id);
      if (!run) throw notFound('Action run', id);
      // Outputs are not needed for a summary: ask for none of them.
      return toSummary(run, repo.results(id, 0));
    },
    getRun(id: string, outputLimit?: number): ActionRunDetail {
      return detail(id, outputLimit ?? null);
    },
    listRuns(filter: RunFilter): { runs: ActionRunSummary[]; total: number } {
      const { runs, total } = repo.search(filter);
      return { runs: runs.map((run) => toSummary(run, repo.results(run.id, 0))), total };
    },
    exportRuns(format: 'json' | 'csv', filter: RunFilter): { text: string; fileName: string } {
      const { runs } = repo.search(filter);
      const details = runs.map((run) => detail(run.id, null));
      const day = new Date().toISOString().slice(0, 10);
      return format === 'json'
        ? { text: formatRunsJson(details), fileName: `switchyard-actions-${day}.json` }
        : { text: formatRunsCsv(details), fileName: `switchyard-actions-${day}.csv` };
    },
  };
}
