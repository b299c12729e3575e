import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ActionAvailability, PendingResize } from '../../contract/action-settings-methods';
import type {
  ActionName,
  ActionPlan,
  ActionRunSummary,
  RunOrigin,
  RunState,
  RunStatus,
  actionsMethods,
} from '../../contract/actions-methods';
import type { FleetEntity } from '../../contract/events';
import type { OutOfBandMethod } from '../../contract/power-methods';
import { notFound } from '../../domain/errors';
import type { RenderedPower } from '../../domain/power/power-plan';
import { actionAvailability } from '../../domain/ssh/action-availability';
import { checkConfirmation, planAction, type ActionPlanResult, type PlanTarget, type PlannedServer } from '../../domain/ssh/action-plan';
import type { RecipeBook } from '../../domain/ssh/recipe';
import type { ExecResult } from '../ssh/exec';
import type { ServerExec } from '../ssh/server-exec';
import type { StoredServer } from '../store/servers-repo';
import type { Store } from '../store/store';
import { maintenanceGraceMs } from '../../domain/ssh/maintenance-grace';
import { applySuccess } from './after-success';
import { runFanOut, type RunOutcome } from './fan-out';
import { createRunQueries } from './run-queries';
import { createRunReporter, type RunUpdate } from './run-reporter';
import { errorMessage } from '../../domain/error-message';

// Runs an action on a selection of servers: plans it again in the host (guards, operator
// parameters and the typed confirmation are checked here, whatever the UI did), records the run,
// fans it out (canary, concurrency, stop-on-failure, cancel) over SSH, or from this workstation
// to each server's power controller for the out-of-band actions, and streams each server's state
// and output.

export type { ServerExec };

/** Out-of-band power, for Power Cycle and OS Cycle: never over SSH. */
export interface ActionsPower {
  method(serverId: string): OutOfBandMethod | null;
  passwordSet(serverId: string): boolean;
  run(
    server: StoredServer,
    method: OutOfBandMethod,
    plan: RenderedPower,
    options: { signal: AbortSignal; output: (chunk: string) => void },
  ): Promise<{ ok: boolean; code: number | null; problem: { message: string } | null }>;
}

export interface ActionsDeps {
  store: Store;
  clock: () => number;
  recipes: () => RecipeBook;
  exec: ServerExec;
  emitRun(update: RunUpdate): void;
  emitFleet(entity: FleetEntity): void;
  /** The OS user of this console and how it is used; every run records both. */
  who: { user: string; origin: Exclude<RunOrigin, 'automatic'> };
  /**
   * Who asks for the run being started: the signed-in account and its address on a team host;
   * 'local user' at a single-seat console (the default).
   */
  caller?: () => { account: string; address: string | null };
  throttleMs?: number;
  log?(message: string): void;
  /** Maintenance: a run's servers hold their alerts from its start to each one's end plus grace. */
  maintenance?: RunMaintenance;
  /** What Install Server runs on a server when the operator typed nothing (its own, else the fleet's). */
  installCommand?: (serverId: string) => string | null;
  power?: ActionsPower;
  /**
   * Runs on a server right after its Install Server command succeeded, its output in the same run
   * (the audit log): UAC Auth pushes the server's upstream registrations there. A failure fails
   * that server's part of the run.
   */
  afterInstall?: (
    server: StoredServer,
    options: { signal: AbortSignal; output: (chunk: string) => void },
  ) => Promise<{ ok: boolean; error: string | null }>;
  /** What that last step will do on a server, for the Install dialog to say before it runs; null: nothing. */
  afterInstallNote?: (server: StoredServer) => string | null;
}

export interface RunMaintenance {
  started(run: { runId: string; label: string; user: string; at: number; servers: { id: string; alias: string; graceMs: number }[] }): void;
  /** One server's part ended (done, failed, cancelled or skipped); without a server: the whole run. */
  ended(runId: string, at: number, serverId?: string): void;
}

type RunInput = z.output<(typeof actionsMethods)['actions:run']['input']>;
type SelectionInput = Pick<RunInput, 'action' | 'serverIds' | 'params'>;

interface PlanServer extends PlanTarget {
  stored: StoredServer;
}

export function createActionsService(deps: ActionsDeps) {
  const active = new Map<string, { controller: AbortController; done: Promise<void>; what: string }>();
  const queries = createRunQueries(deps.store);
  // Runs left "running" by a console that stopped are closed as failed, their output kept.
  deps.store.actionRuns.closeInterrupted(deps.clock());

  const lastChannels = (serverId: string): number | null => {
    const now = deps.clock();
    const recent = deps.store.serverLoad.range(serverId, now - 5 * 60_000, now);
    return recent[recent.length - 1]?.channels ?? null;
  };

  const target = (id: string): PlanServer => {
    const stored = deps.store.servers.get(id);
    if (!stored) throw notFound('Server', id);
    const install = deps.installCommand?.(id) ?? null;
    return {
      id,
      alias: stored.alias,
      ip: stored.ip,
      type: stored.type,
      updatePending: stored.updatePending,
      activeChannels: lastChannels(id),
      paramDefaults: install === null ? {} : { installScript: install },
      outOfBand: deps.power?.method(id) ?? null,
      outOfBandPasswordSet: deps.power?.passwordSet(id) ?? false,
      stored,
    };
  };
  const selection = (serverIds: readonly string[]): PlanServer[] => [...new Set(serverIds)].map(target);

  const makePlan = (input: SelectionInput): ActionPlanResult<PlanServer> =>
    planAction(deps.recipes(), input.action, selection(input.serverIds), input.params);

  /** One server's part of a run: its command over SSH, or its power steps from here. */
  const execute = async (
    planned: PlannedServer<PlanServer>,
    signal: AbortSignal,
    output: (chunk: string) => void,
  ): Promise<{ ok: boolean; code: number | null; error: string | null }> => {
    const { command, recipe } = planned;
    if (command.via === 'out-of-band') {
      if (!deps.power) return { ok: false, code: null, error: 'Out-of-band power is not available in this console.' };
      const result = await deps.power.run(planned.server.stored, command.method, command.power, { signal, output });
      return { ok: result.ok, code: result.code, error: result.problem?.message ?? null };
    }
    const result = await deps.exec(planned.server.stored, command.argv, {
      onStdout: output,
      onStderr: output,
      signal,
      timeoutMs: recipe.timeoutSec * 1000,
    });
    if (result.failure === 'connection-lost' && recipe.expectDisconnect) {
      // A reboot takes sshd down with it: the session ending is the command doing its job.
      output('\n(The SSH connection closed as the server went down, as a reboot does.)\n');
      return { ok: true, code: null, error: null };
    }
    const why = failureText(result, recipe.timeoutSec);
    const ok = result.failure === null && result.code === 0;
    if (ok && recipe.action === 'install' && deps.afterInstall) {
      const after = await deps.afterInstall(planned.server.stored, { signal, output });
      if (!after.ok) return { ok: false, code: result.code, error: after.error };
    }
    return { ok, code: result.code, error: why };
  };

  const start = (plan: ActionPlanResult<PlanServer>, input: Pick<RunInput, 'params' | 'options'>, origin: RunOrigin): ActionRunSummary => {
    const id = randomUUID();
    const startedAt = deps.clock();
    const actor = origin === 'automatic' ? null : (deps.caller?.() ?? null);
    deps.store.actionRuns.create(
      {
        id,
        action: plan.action,
        label: plan.label,
        params: input.params,
        options: input.options,
        requestedBy: deps.who.user,
        origin,
        startedAt,
        endedAt: null,
        status: 'running',
        stoppedBy: null,
        // Auto Upgrade is the host's own doing, whoever's call happened to start its timer.
        ...(origin === 'automatic' ? { account: 'Auto Upgrade' } : (actor ?? {})),
      },
      plan.servers.map((p) => ({ serverId: p.server.id, alias: p.server.alias, ip: p.server.ip, command: p.command.line })),
    );
    deps.maintenance?.started({
      runId: id,
      label: plan.label,
      // Maintenance names who set it as the alerts do: the account on a team host, else the OS user.
      user: origin === 'automatic' ? 'Auto Upgrade' : actor === null || actor.account === 'local user' ? deps.who.user : actor.account,
      at: startedAt,
      servers: plan.servers.map((p) => ({ id: p.server.id, alias: p.server.alias, graceMs: maintenanceGraceMs(p.recipe, p.params) })),
    });
    const reporter = createRunReporter({
      runId: id,
      total: plan.servers.length,
      repo: deps.store.actionRuns,
      clock: deps.clock,
      emit: deps.emitRun,
      ...(deps.throttleMs === undefined ? {} : { throttleMs: deps.throttleMs }),
    });
    const controller = new AbortController();
    const errors = new Map<number, string>();
    let canaryFailed = false;

    const runOne = async (position: number, signal: AbortSignal, output: (chunk: string) => void): Promise<RunOutcome> => {
      const planned = plan.servers[position];
      if (!planned) throw new Error(`No server at position ${position}.`);
      const result = await execute(planned, signal, output);
      if (result.error !== null) errors.set(position, result.error);
      return { ok: result.ok, code: result.code, output: '' };
    };

    const done = runFanOut({
      targets: plan.servers.map((_, position) => position),
      concurrency: input.options.concurrency,
      canary: input.options.canary,
      stopOnFailure: input.options.stopOnFailure,
      signal: controller.signal,
      run: runOne,
      onEvent(event) {
        const position = event.target;
        // fan-out names stop-on-failure when both apply; the operator should read "canary".
        if (input.options.canary && position === 0 && (event.type === 'failed' || event.type === 'cancelled')) canaryFailed = true;
        if (event.type === 'running') reporter.started(position);
        else if (event.type === 'output') reporter.chunk(position, event.chunk);
        if (event.type === 'done' || event.type === 'failed' || event.type === 'cancelled' || event.type === 'skipped') {
          const serverId = plan.servers[position]?.server.id;
          if (serverId !== undefined) deps.maintenance?.ended(id, deps.clock(), serverId);
        }
        if (event.type === 'done' || event.type === 'failed' || event.type === 'cancelled') {
          const error =
            event.error ??
            errors.get(position) ??
            (event.type === 'failed' && event.outcome ? `Exited with code ${event.outcome.code ?? 'none'}.` : null);
          reporter.ended(position, event.type as RunState, event.outcome?.code ?? null, error);
        } else if (event.type === 'skipped') {
          reporter.ended(
            position,
            'skipped',
            null,
            skipReason(canaryFailed && event.reason !== 'cancelled' ? 'canary-failed' : event.reason),
          );
        }
      },
    })
      .then(
        (result) => {
          const p = result.progress;
          const status: RunStatus =
            result.stoppedBy === 'cancelled' ? 'cancelled' : p.failed + p.skipped + p.cancelled > 0 ? 'failed' : 'succeeded';
          const succeeded = result.results
            .filter((r) => r.state === 'done')
            .map((r) => plan.servers[r.target]?.server.stored)
            .filter((s): s is StoredServer => s !== undefined);
          if (applySuccess(deps.store, plan.action, succeeded, plan.servers[0]?.params ?? {}, deps.clock(), startedAt))
            deps.emitFleet('servers');
          reporter.finished(status, canaryFailed && result.stoppedBy !== 'cancelled' ? 'canary-failed' : result.stoppedBy);
        },
        (err: unknown) => reporter.finished('failed', `internal: ${errorMessage(err)}`),
      )
      // The host closing mid-run closes the store under the last writes: report, never crash.
      .catch((err: unknown) => deps.log?.(`[switchyard] action run ${id}: ${errorMessage(err)}`))
      .finally(() => {
        active.delete(id);
        deps.maintenance?.ended(id, deps.clock());
      });
    const count = plan.servers.length;
    active.set(id, { controller, done, what: `${plan.label} on ${count} server${count === 1 ? '' : 's'}` });
    return queries.summary(id);
  };

  return {
    plan(input: SelectionInput): ActionPlan {
      const plan = makePlan(input);
      return {
        action: plan.action,
        label: plan.label,
        impact: plan.impact,
        differs: plan.differs,
        runsOn: plan.runsOn,
        servers: plan.servers.map((p) => ({
          id: p.server.id,
          alias: p.server.alias,
          ip: p.server.ip,
          command: p.command.line,
          display: p.command.display,
        })),
        confirm: plan.confirm,
        confirmText: plan.confirmText,
        confirmHint: plan.confirmHint,
        warnings:
          plan.action === 'install' && deps.afterInstallNote
            ? [...plan.warnings, ...plan.servers.flatMap((p) => deps.afterInstallNote?.(p.server.stored) ?? [])]
            : plan.warnings,
        timeoutSec: plan.timeoutSec,
      };
    },
    /** Starts the run and answers at once; progress arrives as `actions:run-update` events. */
    run(input: RunInput): ActionRunSummary {
      const plan = makePlan(input);
      checkConfirmation(plan, input.confirmation);
      return start(plan, input, deps.who.origin);
    },
    /** Auto Upgrade: Run Server Update on one idle server, logged as automatic. */
    runAutomatic(action: ActionName, serverId: string): ActionRunSummary {
      const plan = makePlan({ action, serverIds: [serverId], params: {} });
      return start(plan, { params: {}, options: { canary: false, stopOnFailure: true, concurrency: 1 } }, 'automatic');
    },
    /** Which actions the selection can run now, and for the others why not. */
    availability(serverIds: readonly string[]): ActionAvailability[] {
      return actionAvailability(deps.recipes(), selection(serverIds));
    },
    /** Resizes whose 15 minutes have not passed. */
    pendingResizes(): PendingResize[] {
      return deps.store.serverActions.pendingResizes(deps.clock()).flatMap((r) => {
        const s = deps.store.servers.get(r.serverId);
        return s ? [{ ...r, alias: s.alias, ip: s.ip }] : [];
      });
    },
    cancel(runId: string): { cancelled: boolean } {
      const run = active.get(runId);
      if (!run) {
        if (!deps.store.actionRuns.get(runId)) throw notFound('Action run', runId);
        return { cancelled: false };
      }
      run.controller.abort();
      return { cancelled: true };
    },
    /** Resolves when the run has finished (tests, and closing the host). */
    async settled(runId: string): Promise<void> {
      await active.get(runId)?.done;
    },
    isRunning: (runId: string): boolean => active.has(runId),
    /** The runs still going, as the operator would name them ("Restart on 3 servers"). */
    running: (): string[] => [...active.values()].map((r) => r.what),
    ...queries,
    /** Cancels every run and waits for them to record their end. */
    async close(): Promise<void> {
      const runs = [...active.values()];
      for (const run of runs) run.controller.abort();
      await Promise.all(runs.map((r) => r.done));
    },
  };
}

export type ActionsService = ReturnType<typeof createActionsService>;

function failureText(result: ExecResult, timeoutSec: number): string | null {
  switch (result.failure) {
    case 'timeout':
      return `Timed out after ${timeoutSec} s; the command was stopped. Output up to then is kept.`;
    case 'cancelled':
      return 'Cancelled by the operator; the command was stopped.';
    case 'connection-lost':
      return 'The SSH connection was lost before the command finished (the server went away). Output up to then is kept.';
    case null:
      if (result.code === null) return `Killed by ${result.signal ? `SIG${result.signal}` : 'a signal'} on the server.`;
      return result.code === 0 ? null : `Exited with code ${result.code}.`;
  }
}

function skipReason(reason: string): string {
  if (reason === 'canary-failed') return 'Not run: the canary (first server) did not succeed.';
  if (reason === 'stop-on-failure') return 'Not run: stop-on-failure halted the run after a failure.';
  return 'Not run: the run was cancelled.';
}
