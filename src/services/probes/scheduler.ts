// Runs the slot plan: one timer armed for the next due server, each due server probed with all
// its kinds, results handed on as samples. Time comes from an injected clock. Stopped and
// expired servers are out of the plan; stop() cancels the timer, aborts probes in flight and
// waits for them, so nothing (timer, socket, process) is left behind.
import { setMaxListeners } from 'node:events';
import { PROBE_KIND_SPEC } from '../../contract/probe-kinds';
import { SlotPlan } from '../../domain/monitoring/slot-plan';
import type { ProbeKind, Sample } from '../../domain/monitoring/sample';
import { AbortedError, type Check, type ProbeDone, type ProbeResult, type ProbeTarget } from './check';
import type { CheckMap } from './checks';
import type { Clock, TimerHandle } from './clock';
import type { MonitoredServer } from './scheduled-server';
import { WatchedProbes } from './watched-probes';

export type { MonitoredServer };

export interface SchedulerOptions {
  checks: CheckMap;
  clock: Clock;
  onSample(sample: Sample, result: ProbeResult): void;
  /** Our deadline per probe (a setting); 2 s by default. */
  deadlineMs?: number;
  defaultIntervalMs?: number;
  /**
   * A wake also hands over what falls due within this many ms after it (DEFAULT_GATHER_MS). A busy
   * fleet (1,000 servers at 1 s, a slot each ms) then costs a wake per batch of probes, not one
   * per probe; nothing starts late for it (a probe leaves up to this much early), and the spread
   * stays even at this resolution.
   */
  gatherMs?: number;
}

export interface SchedulerStats {
  planned: number;
  inFlight: number;
  timerArmed: boolean;
  /** Probes not started because the previous one of that kind was still running. */
  skipped: number;
}

/** The port a kind probes, as its declaration says (contract/probe-kinds.ts); 0 for ICMP, which has none. */
function portOf(kind: ProbeKind, server: MonitoredServer): number {
  const field = PROBE_KIND_SPEC[kind].port;
  return field === null ? 0 : server.ports[field];
}

/**
 * A process wake (timer, event loop, system call) costs the SIP engine more CPU than a probe's own
 * work: 20 ms makes about 50 wakes a second at 1,000 probes a second instead of 250 at 3 ms,
 * while a probe leaves at most 20 ms before its slot (2 % of the shortest interval, 1 s).
 */
export const DEFAULT_GATHER_MS = 20;

export class ProbeScheduler {
  readonly #options: SchedulerOptions;
  readonly #plan: SlotPlan;
  readonly #servers = new Map<string, MonitoredServer>();
  readonly #inFlight = new Map<string, Promise<void>>();
  /** Probes on the lean path (`Check.start`): per kind, server id to the time the probe was due. */
  readonly #leanInFlight = new Map<ProbeKind, Map<string, number>>();
  readonly #leanDone = new Map<ProbeKind, ProbeDone>();
  /** Each server's targets, per kind; an upsert brings a new server object and so new targets. */
  readonly #targets = new WeakMap<MonitoredServer, Partial<Record<ProbeKind, ProbeTarget>>>();
  /** Kinds whose check paces itself (ICMP through fping): watched, never ticked. */
  readonly #watched: WatchedProbes;
  #abort = new AbortController();
  #timer: TimerHandle | null = null;
  #running = false;
  #skipped = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#plan = new SlotPlan(options.defaultIntervalMs === undefined ? {} : { defaultIntervalMs: options.defaultIntervalMs });
    this.#watched = new WatchedProbes({
      checks: options.checks,
      clock: options.clock,
      onSample: (s, r) => this.#options.onSample(s, r),
      target: (s, k) => this.#target(s, k),
      onExpired: (id) => this.#pause(id),
    });
  }

  get stats(): SchedulerStats {
    let lean = 0;
    for (const running of this.#leanInFlight.values()) lean += running.size;
    return { planned: this.#plan.size, inFlight: this.#inFlight.size + lean, timerArmed: this.#timer !== null, skipped: this.#skipped };
  }

  /** Adds or updates a server; stopped or expired ones are kept but not probed. */
  upsert(server: MonitoredServer): void {
    const before = this.#servers.get(server.id);
    this.#servers.set(server.id, server);
    if (
      before &&
      (before.host !== server.host ||
        before.tlsPinSha256 !== server.tlsPinSha256 ||
        before.ports.tcp !== server.ports.tcp ||
        before.ports.tls !== server.ports.tls)
    ) {
      this.#release(server.id);
    }
    const now = this.#options.clock.now();
    if (this.#paused(server, now)) this.#pause(server.id);
    else {
      // A server whose every kind paces itself needs no slot: nothing would be done at its tick.
      if (this.#watched.watchesAll(server)) this.#plan.remove(server.id, now);
      else this.#plan.set(server.id, now, server.intervalMs);
      this.#watched.upsert(server);
    }
    this.#arm();
  }

  /** `upsert` for many servers, with the slots laid out once for all (see SlotPlan.setMany). */
  upsertMany(servers: readonly MonitoredServer[]): void {
    const now = this.#options.clock.now();
    const planned: { id: string; intervalMs?: number | undefined }[] = [];
    for (const server of servers) {
      const before = this.#servers.get(server.id);
      this.#servers.set(server.id, server);
      if (
        before &&
        (before.host !== server.host ||
          before.tlsPinSha256 !== server.tlsPinSha256 ||
          before.ports.tcp !== server.ports.tcp ||
          before.ports.tls !== server.ports.tls)
      ) {
        this.#release(server.id);
      }
      if (this.#paused(server, now)) this.#pause(server.id);
      else {
        if (this.#watched.watchesAll(server)) this.#plan.remove(server.id, now);
        else planned.push({ id: server.id, intervalMs: server.intervalMs });
        this.#watched.upsert(server);
      }
    }
    this.#plan.setMany(planned, now);
    this.#arm();
  }

  remove(id: string): void {
    this.#servers.delete(id);
    this.#pause(id);
    this.#arm();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    // Every probe in flight listens on this one signal: thousands of listeners are expected.
    setMaxListeners(0, this.#abort.signal);
    this.#watched.start();
    this.#arm();
  }

  /** Stops probing and waits for every probe in flight to end. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) this.#options.clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#abort.abort();
    this.#watched.stop();
    // Lean probes end in one call per check; none of their results arrives after this.
    for (const kind of this.#leanInFlight.keys()) this.#options.checks[kind]?.cancelAll?.();
    this.#leanInFlight.clear();
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  #paused(server: MonitoredServer, now: number): boolean {
    return server.adminState === 'stopped' || (server.expiresAt !== null && now >= server.expiresAt);
  }

  #pause(id: string): void {
    this.#plan.remove(id, this.#options.clock.now());
    this.#watched.forget(id);
    this.#release(id);
  }

  #release(id: string): void {
    for (const check of Object.values(this.#options.checks)) check.release?.(id);
  }

  #arm(): void {
    const clock = this.#options.clock;
    if (this.#timer) clock.clearTimer(this.#timer);
    this.#timer = null;
    if (!this.#running) return;
    const wake = this.#plan.nextWakeAt();
    if (wake === null) return;
    this.#timer = clock.setTimer(
      () => {
        this.#timer = null;
        this.#tick();
      },
      Math.max(0, wake - clock.now()),
    );
  }

  #tick(): void {
    const now = this.#options.clock.now();
    for (const id of this.#plan.takeDue(now + (this.#options.gatherMs ?? DEFAULT_GATHER_MS))) {
      const server = this.#servers.get(id);
      if (!server) continue;
      if (this.#paused(server, now)) {
        this.#pause(id);
        continue;
      }
      for (const kind of server.kinds) this.#probe(server, kind, now);
    }
    this.#arm();
  }

  #probe(server: MonitoredServer, kind: ProbeKind, at: number): void {
    const check = this.#options.checks[kind];
    if (!check || check.watch) return;
    if (check.start && check.cancelAll) return this.#probeLean(check, server, kind, at);
    const key = `${kind}\u0000${server.id}`;
    if (this.#inFlight.has(key)) {
      this.#skipped += 1;
      return;
    }
    const run = check
      .check(this.#target(server, kind), this.#abort.signal)
      .then((result) => {
        const sample: Sample = { serverId: server.id, kind, at: result.at ?? at, rttMs: result.rttMs };
        if (result.code !== undefined) sample.code = result.code;
        this.#options.onSample(sample, result);
      })
      .catch((error: unknown) => {
        // Aborted by stop(): no sample. Anything else is a bug in a check; it must not stop the others.
        if (!(error instanceof AbortedError))
          this.#options.onSample({ serverId: server.id, kind, at, rttMs: null }, { rttMs: null, error: String(error) });
      })
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, run);
  }

  /** No promise, closure or signal listener per probe: the busy map says what is running. */
  #probeLean(check: Check, server: MonitoredServer, kind: ProbeKind, at: number): void {
    let running = this.#leanInFlight.get(kind);
    if (!running) {
      running = new Map();
      this.#leanInFlight.set(kind, running);
    }
    if (running.has(server.id)) {
      this.#skipped += 1;
      return;
    }
    running.set(server.id, at);
    check.start?.(this.#target(server, kind), this.#leanDoneFor(kind));
  }

  #leanDoneFor(kind: ProbeKind): ProbeDone {
    let done = this.#leanDone.get(kind);
    if (!done) {
      done = (target, result) => {
        const running = this.#leanInFlight.get(kind);
        const at = running?.get(target.serverId);
        if (running === undefined || at === undefined) return;
        running.delete(target.serverId);
        // One literal per shape: adding `code` afterwards would change the object's layout per sample.
        const when = result.at ?? at;
        const sample: Sample =
          result.code === undefined
            ? { serverId: target.serverId, kind, at: when, rttMs: result.rttMs }
            : { serverId: target.serverId, kind, at: when, rttMs: result.rttMs, code: result.code };
        this.#options.onSample(sample, result);
      };
      this.#leanDone.set(kind, done);
    }
    return done;
  }

  #target(server: MonitoredServer, kind: ProbeKind): ProbeTarget {
    let targets = this.#targets.get(server);
    if (!targets) {
      targets = {};
      this.#targets.set(server, targets);
    }
    // The deadline is a setting read at every probe: a changed one applies from the next probe on.
    const deadlineMs = this.#options.deadlineMs ?? 2_000;
    const cached = targets[kind];
    if (cached && cached.deadlineMs === deadlineMs) return cached;
    return (targets[kind] = {
      serverId: server.id,
      host: server.host,
      port: portOf(kind, server),
      deadlineMs,
      intervalMs: this.#plan.intervalOf(server.id) ?? server.intervalMs ?? 5_000,
      tlsPinSha256: server.tlsPinSha256 ?? null,
      tlsServername: server.tlsServername ?? null,
    });
  }
}
