import type { LoadSample } from '../../contract/actions-methods';
import type { FleetEntity } from '../../contract/events';
import type { ServerUsage } from '../../contract/load-methods';
import { notFound } from '../../domain/errors';
import { parseLoadReport, type LoadReport } from '../../domain/ssh/load-report';
import { renderCommand, type RecipeBook } from '../../domain/ssh/recipe';
import { loadRecordOf } from '../calls/calls-reading';
import { callsErrorFor, listUsage } from '../calls/usage';
import type { StoredServer } from '../store/servers-repo';
import type { Store } from '../store/store';
import type { ActionsService } from './actions-service';
import type { ServerExec } from '../ssh/server-exec';
import { errorMessage } from '../../domain/error-message';
import { createPollBackoff, sshSettingsKey, unreachable, type PollBackoff } from './poll-backoff';

// Reads each server's load over SSH every 30 s (spread over the interval, never all at once) on
// the pooled connection, stores it, keeps the stale flag ("There's a pending update on the
// server") in step with the server's package manager, and with Auto Upgrade on applies the update
// as soon as the server reports zero active channels, logged in the audit log as automatic. The
// same poll reads live calls and the call rate from Kamailio's dialog statistics, and, on a
// dispatcher, its own view of its destinations. A server whose SSH cannot be reached is tried
// less and less often, up to every 10 minutes (poll-backoff.ts); its last error stays reported.

export const LOAD_INTERVAL_MS = 30_000;
/** Readings older than this are dropped. */
export const LOAD_RETENTION_MS = 7 * 24 * 3600_000;
/** A wake of the schedule starts every poll due within this much of it. */
export const SLOT_GATHER_MS = 100;

export interface LoadPollerDeps {
  store: Store;
  clock: () => number;
  recipes: () => RecipeBook;
  exec: ServerExec;
  actions: Pick<ActionsService, 'runAutomatic' | 'isRunning'>;
  emitFleet(entity: FleetEntity): void;
  intervalMs?: number;
  /** The longest wait between tries of a server whose SSH keeps failing; 10 minutes by default. */
  maxBackoffMs?: number;
  /** The backoff's jitter draw, in [0, 1); Math.random by default. */
  random?: () => number;
  log?(message: string): void;
  /** Every poll's outcome (the load-poll alert rule counts failures in a row). */
  onPoll?(serverId: string, ok: boolean, error: string | null, at: number): void;
  /** After each poll: the server's live calls may have changed (the fleet table's push). */
  onUsage?(serverId: string): void;
  /** After each poll of a dispatcher: its own view of its destinations, read on the same schedule. */
  readDispatcher?(serverId: string): Promise<unknown>;
  /** After each poll: the server's upstream registrations (UAC Auth), when it has any. */
  readUac?(serverId: string): Promise<unknown>;
}

export type PollOutcome = { ok: true; report: LoadReport; autoUpgradeRunId: string | null } | { ok: false; error: string };

export function createLoadPoller(deps: LoadPollerDeps) {
  const intervalMs = deps.intervalMs ?? LOAD_INTERVAL_MS;
  const lastError = new Map<string, string>();
  const inFlight = new Set<string>();
  const upgrades = new Map<string, string>();
  const backoff: PollBackoff = createPollBackoff({
    intervalMs,
    ...(deps.maxBackoffMs === undefined ? {} : { maxMs: deps.maxBackoffMs }),
    ...(deps.random === undefined ? {} : { random: deps.random }),
  });
  /** This cycle's polls not started yet, in order: server and offset from the cycle's start (ms). */
  let plan: { id: string; at: number }[] = [];
  let next = 0;
  let slotTimer: NodeJS.Timeout | undefined;
  let cycle: NodeJS.Timeout | undefined;
  let running = false;

  const applyReport = (server: StoredServer, report: LoadReport, channels: number | null): string | null => {
    let current = server;
    if (report.pendingUpdates !== null && report.pendingUpdates > 0 !== server.updatePending) {
      current = { ...server, updatePending: report.pendingUpdates > 0, updatedAt: deps.clock() };
      deps.store.servers.update(current);
      deps.emitFleet('servers');
    }
    if (!current.config.autoUpgrade || !current.updatePending || channels !== 0) return null;
    const previous = upgrades.get(server.id);
    if (previous !== undefined && deps.actions.isRunning(previous)) return null;
    try {
      const run = deps.actions.runAutomatic('update', server.id);
      upgrades.set(server.id, run.id);
      return run.id;
    } catch (err) {
      // A refused plan (no update recipe for this type, say) is reported like a failed poll.
      lastError.set(server.id, `Auto Upgrade could not start: ${errorMessage(err)}`);
      return null;
    }
  };

  // The load probe's command line, rendered once per book (books are frozen and kept while their
  // file is unchanged, recipes.ts), not once per poll.
  const rendered = new WeakMap<RecipeBook, readonly string[]>();
  const probeArgv = (book: RecipeBook): readonly string[] => {
    let argv = rendered.get(book);
    if (argv === undefined) {
      const probe = book.probes.load;
      argv = renderCommand(probe.command, {}, { ...book.defaults, ...probe.defaults }, probe.label).argv;
      rendered.set(book, argv);
    }
    return argv;
  };

  const pollOnce = async (serverId: string): Promise<PollOutcome> => {
    const server = deps.store.servers.get(serverId);
    if (!server) throw notFound('Server', serverId);
    const book = deps.recipes();
    const probe = book.probes.load;
    let outcome: PollOutcome;
    // Whether the server could not be reached at all (the next tries back off).
    let cutOff = false;
    inFlight.add(serverId);
    try {
      const argv = probeArgv(book);
      const result = await deps.exec(server, argv, { timeoutMs: probe.timeoutSec * 1000 });
      cutOff = unreachable({ result });
      const parsed = result.failure === null && result.code === 0 ? parseLoadReport(result.stdout) : null;
      if (parsed?.ok) {
        const report = parsed.report;
        const record = loadRecordOf(serverId, deps.clock(), report, deps.store.serverLoad);
        deps.store.serverLoad.insert(record);
        lastError.delete(serverId);
        // The server may have been edited while the probe ran: decide on the current record.
        const fresh = deps.store.servers.get(serverId);
        outcome = { ok: true, report, autoUpgradeRunId: fresh ? applyReport(fresh, report, record.channels) : null };
      } else {
        const why =
          parsed && !parsed.ok
            ? parsed.message
            : result.failure
              ? `the probe did not finish (${result.failure})`
              : `the probe exited with code ${result.code ?? result.signal ?? 'none'}: ${result.stderr.trim().slice(0, 300)}`;
        outcome = { ok: false, error: why };
      }
    } catch (err) {
      cutOff = unreachable({ thrown: err });
      outcome = { ok: false, error: errorMessage(err) };
    }
    if (cutOff) backoff.failed(serverId, sshSettingsKey(server));
    else backoff.reset(serverId);
    try {
      if (!outcome.ok) {
        // A server that keeps failing keeps the same words: the string already held stays, and
        // this poll's copy dies young instead of replacing it in the old generation.
        const message = `Load of ${server.alias} could not be read: ${outcome.error}`;
        if (lastError.get(serverId) !== message) lastError.set(serverId, message);
      }
      deps.onPoll?.(serverId, outcome.ok, outcome.ok ? null : outcome.error, deps.clock());
      deps.onUsage?.(serverId);
      // Its own failures are kept with its view; they do not fail the load poll.
      if (server.type === 'dispatcher' && deps.readDispatcher) await deps.readDispatcher(serverId).catch(() => undefined);
      if (deps.readUac) await deps.readUac(serverId).catch(() => undefined);
    } finally {
      inFlight.delete(serverId);
    }
    return outcome;
  };

  const armSlots = (offset: number): void => {
    const entry = plan[next];
    if (entry === undefined) return;
    slotTimer = setTimeout(() => runSlots(entry.at), Math.max(0, entry.at - offset));
    slotTimer.unref();
  };
  // One timer walks the cycle's plan: each wake starts every poll due within SLOT_GATHER_MS (at
  // 10,000 servers, 33 polls every 100 ms rather than a timer each every 3 ms).
  const runSlots = (offset: number): void => {
    slotTimer = undefined;
    if (!running) return;
    for (let entry = plan[next]; entry !== undefined && entry.at <= offset + SLOT_GATHER_MS; entry = plan[next]) {
      next += 1;
      if (!inFlight.has(entry.id)) void pollOnce(entry.id);
    }
    armSlots(offset);
  };

  const runCycle = (): void => {
    if (!running) return;
    clearTimeout(slotTimer);
    // Only the address and SSH settings: the whole records of 10,000 servers would hold the
    // event loop for a tenth of a second or more at every cycle.
    const servers = deps.store.servers.sshSettings();
    backoff.keepOnly(new Set(servers.map((s) => s.id)));
    const step = servers.length > 0 ? intervalMs / servers.length : intervalMs;
    plan = [];
    next = 0;
    // Every server keeps its place in the spread; one backing off leaves its slot empty.
    servers.forEach((server, index) => {
      if (backoff.due(server.id, sshSettingsKey(server))) plan.push({ id: server.id, at: Math.round(index * step) });
    });
    armSlots(0);
    deps.store.serverLoad.prune(deps.clock() - LOAD_RETENTION_MS);
    cycle = setTimeout(runCycle, intervalMs);
    cycle.unref();
  };

  return {
    pollOnce,
    start(): void {
      if (running) return;
      running = true;
      runCycle();
    },
    stop(): void {
      running = false;
      // The last read errors describe the live servers: a snapshot shown meanwhile must not show them.
      lastError.clear();
      backoff.clear();
      clearTimeout(cycle);
      clearTimeout(slotTimer);
      plan = [];
      next = 0;
    },
    /**
     * The server's password or key passphrase changed: its next slot polls it, whatever failed
     * before. (An edit of its address or SSH settings is seen by the next cycle itself.)
     */
    retrySoon(serverId: string): void {
      backoff.reset(serverId);
    },
    /** Failures in a row of a server whose SSH cannot be reached, and the cycles it still sits out; null when polled normally. */
    backoffOf(serverId: string): { failures: number; skipCycles: number } | null {
      return backoff.state(serverId);
    },
    /** Readings of the last 24 h unless a range is given, oldest first, and the last read error. */
    history(serverId: string, from?: number, to?: number): { samples: LoadSample[]; error: string | null } {
      const server = deps.store.servers.get(serverId);
      if (!server) throw notFound('Server', serverId);
      const end = to ?? deps.clock();
      const samples = deps.store.serverLoad.range(serverId, from ?? end - 24 * 3600_000, end).map((r): LoadSample => ({
        at: r.at,
        load: r.load,
        memTotalKb: r.memTotalKb,
        memAvailableKb: r.memAvailableKb,
        uptimeSec: r.uptimeSec,
        channels: r.channels,
        pendingUpdates: r.pendingUpdates,
        ringing: r.calls?.early ?? null,
        cps: r.cps ?? null,
        callsError: r.callsError ? callsErrorFor(server, r.callsError) : null,
      }));
      return { samples, error: lastError.get(serverId) ?? null };
    },
    /** Live calls of every server (or of these) from its last recent poll, with the last poll error. */
    usage(serverIds?: readonly string[]): ServerUsage[] {
      return listUsage(deps.store, deps.clock(), (id) => lastError.get(id) ?? null, serverIds);
    },
  };
}

export type LoadPoller = ReturnType<typeof createLoadPoller>;
