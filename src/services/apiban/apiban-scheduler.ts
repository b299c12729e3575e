import type { ApibanApplied } from '../../contract/apiban-methods';
import { DomainError } from '../../domain/errors';
import type { ApibanService } from './apiban-service';
import { errorMessage } from '../../domain/error-message';

// APIBAN on its own, in the host's background set (never on a snapshot, never on a read-only wall
// display, never in a one-shot CLI command): sync when the interval has passed since the last sync
// (by hand or by itself), then apply to every scheduled server that needs it — the list changed
// since its last apply, its entries would otherwise time out, or its last attempt failed a sync
// interval ago. What is due is worked out from the store each time, so a restart picks up where
// the last run left off. Each run that ends is pushed as an event; a failure is also what the
// APIBAN alert reads (the last sync's outcome, each scheduled server's last apply).

export interface ScheduleRun {
  what: 'sync' | 'apply';
  ok: boolean;
  at: number;
  message: string;
  serverIds: string[];
}

export interface ApibanSchedulerDeps {
  service: ApibanService;
  clock: () => number;
  onRun: (run: ScheduleRun) => void;
  log: (message: string) => void;
  /** The longest wait between two looks (settings changed elsewhere, clock jumps). */
  maxWaitMs?: number;
  /** The shortest wait, so a server busy with a manual apply is not polled in a tight loop. */
  minWaitMs?: number;
}

export class ApibanScheduler {
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #abort: AbortController | null = null;
  #pass: Promise<void> | null = null;
  #again = false;
  #applyQuietUntil = 0;

  constructor(private readonly deps: ApibanSchedulerDeps) {}

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    this.poke();
  }

  /** Stops the timer, cuts a sync in flight at its next page, and waits for the pass to end. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    clearTimeout(this.#timer);
    this.#abort?.abort();
    await this.#pass;
  }

  /** Look now (settings, key, targets or the list changed); a pass in progress looks again when it ends. */
  poke(): void {
    if (!this.#running) return;
    if (this.#pass !== null) {
      this.#again = true;
      return;
    }
    this.#arm(0);
  }

  /** One look: sync if due, then apply where due. Exposed for tests that drive the clock. */
  async runOnce(): Promise<void> {
    const { service, clock } = this.deps;
    const signal = this.#abort?.signal;
    const nextSync = service.status().schedule.nextSyncAt;
    if (nextSync !== null && nextSync <= clock() && !service.syncing) {
      try {
        const result = await service.sync(signal ? { signal } : {});
        if (signal?.aborted) return;
        this.#report({ what: 'sync', ok: result.outcome !== 'failed', at: clock(), message: result.message, serverIds: [] });
      } catch (error) {
        if (signal?.aborted) return;
        // A refused key or URL: recorded as the last sync's outcome by the sync itself.
        this.#report({ what: 'sync', ok: false, at: clock(), message: messageOf(error), serverIds: [] });
      }
    }
    if (signal?.aborted === true) return;
    if (clock() < this.#applyQuietUntil) return;
    try {
      const { results, reasons } = await service.applyDue();
      if (results.length > 0) this.#reportApplies(results, reasons);
    } catch (error) {
      // Refused before any server was tried (a recipe book without an APIBAN entry): said once,
      // then tried again a sync interval later rather than at every look.
      this.#applyQuietUntil = clock() + service.status().schedule.intervalSec * 1000;
      this.#report({ what: 'apply', ok: false, at: clock(), message: messageOf(error), serverIds: [] });
    }
  }

  #reportApplies(results: ApibanApplied[], reasons: Map<string, string>): void {
    const failed = results.filter((r) => !r.ok);
    const why = [...new Set(results.map((r) => reasons.get(r.serverId)).filter((r) => r !== undefined))].join(', ');
    const done = `Applied by itself to ${results.length} server${results.length === 1 ? '' : 's'} (${why})`;
    const message =
      failed.length === 0
        ? `${done}.`
        : `${done}; failed on ${failed.length} of ${results.length}: ${failed.map((f) => f.message).join(' · ')}`;
    this.#report({ what: 'apply', ok: failed.length === 0, at: this.deps.clock(), message, serverIds: results.map((r) => r.serverId) });
  }

  #report(run: ScheduleRun): void {
    if (!run.ok) this.deps.log(`[switchyard] APIBAN ${run.what} by schedule failed: ${run.message}`);
    this.deps.onRun(run);
  }

  #arm(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), ms);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (!this.#running || this.#pass !== null) return;
    this.#again = false;
    this.#pass = this.runOnce().catch((error: unknown) =>
      this.deps.log(`[switchyard] APIBAN schedule: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
    await this.#pass;
    this.#pass = null;
    if (!this.#running) return;
    if (this.#again) return this.#arm(0);
    const next = this.deps.service.nextDueAt();
    const maxWait = this.deps.maxWaitMs ?? 60_000;
    const minWait = this.deps.minWaitMs ?? 5_000;
    const wait = next === null ? maxWait : Math.min(maxWait, Math.max(minWait, next - this.deps.clock()));
    this.#arm(wait);
  }
}

function messageOf(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  return errorMessage(error);
}
