import type { RunOrigin } from '../../contract/actions-methods';
import type { Store } from '../store/store';
import { errorMessage } from '../../domain/error-message';

// A deployment is an action on a server like any other, so it goes into the same audit log
// (action_runs / action_results): who started it and from where, when, the Install command, its
// output and the outcome, searchable and exportable from the Actions log. The log row names the
// server by its address until the server exists; once it joined the fleet the row points at it.
// Like any run it names the account that asked and its address (a team host's signed-in caller).

export interface DeployAuditDeps {
  store: Store;
  clock: () => number;
  who: { user: string; origin: Exclude<RunOrigin, 'automatic'> };
  /**
   * Who asks for the deployment being started: the signed-in account and its address on a team
   * host ('local user' at a single-seat console). Read when the entry is opened, inside the call.
   */
  caller?: () => { account: string; address: string | null };
}

/** Output is written to the log at most this often while it streams, so a crash keeps most of it. */
const SAVE_EVERY_MS = 1_000;

export interface DeployAuditEntry {
  /** The first write to the log that failed (the store closing under it, say); null when none did. */
  readonly failure: string | null;
  start(): void;
  output(text: string): void;
  end(outcome: { ok: boolean; exitCode: number | null; error: string | null; output: string; serverId: string | null }): void;
}

export function createDeployAudit({ store, clock, who, caller }: DeployAuditDeps) {
  return {
    /** Opens the log entry of one deployment, queued until the connection is up. */
    begin(input: {
      deployId: string;
      pendingServerId: string;
      alias: string;
      ip: string;
      command: string;
      params: Record<string, string>;
    }): DeployAuditEntry {
      const runId = input.deployId;
      const repo = store.actionRuns;
      repo.create(
        {
          id: runId,
          action: 'deploy',
          label: 'Deploy Server',
          params: input.params,
          options: { canary: false, stopOnFailure: true, concurrency: 1 },
          requestedBy: who.user,
          origin: who.origin,
          startedAt: clock(),
          endedAt: null,
          status: 'running',
          stoppedBy: null,
          ...(caller?.() ?? {}),
        },
        [{ serverId: input.pendingServerId, alias: input.alias, ip: input.ip, command: input.command }],
      );
      let savedAt = 0;
      let failure: string | null = null;
      // A log write that fails must not turn a good install into a failed one: it is kept and told.
      const guard = (write: () => void): void => {
        try {
          write();
        } catch (err) {
          failure ??= errorMessage(err);
        }
      };
      return {
        get failure() {
          return failure;
        },
        start: () => guard(() => repo.startResult(runId, 0, clock())),
        output(text) {
          const now = clock();
          if (now - savedAt < SAVE_EVERY_MS) return;
          savedAt = now;
          guard(() => repo.saveOutput(runId, 0, text));
        },
        end({ ok, exitCode, error, output, serverId }) {
          const at = clock();
          guard(() => {
            if (serverId !== null) repo.setResultServer(runId, 0, serverId);
            repo.endResult(runId, 0, { state: ok ? 'done' : 'failed', exitCode, error, at, output });
            repo.finish(runId, ok ? 'succeeded' : 'failed', at, null);
          });
        },
      };
    },
  };
}

export type DeployAudit = ReturnType<typeof createDeployAudit>;
