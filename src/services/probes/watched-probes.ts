// The scheduler's path for checks that pace themselves (fping's loop): no timer, promise or
// signal per probe. A running server's target is watched while the scheduler runs and released
// when the server is paused, removed or the scheduler stops; results go straight to onSample,
// dated when the probe left. Expiry needs no tick: one timer waits for the earliest end of a
// test period among watched servers.
import type { ProbeKind, Sample } from '../../domain/monitoring/sample';
import type { ProbeResult, ProbeTarget } from './check';
import type { CheckMap } from './checks';
import type { Clock, TimerHandle } from './clock';
import type { MonitoredServer } from './scheduled-server';

export interface WatchedProbesOptions {
  checks: CheckMap;
  clock: Clock;
  onSample(sample: Sample, result: ProbeResult): void;
  target(server: MonitoredServer, kind: ProbeKind): ProbeTarget;
  /** A watched server's test period ended: the scheduler pauses it as it would at a tick. */
  onExpired(serverId: string): void;
}

/** setTimeout fires at once beyond 2^31 - 1 ms; far expiries are reached in steps of a day. */
const MAX_WAIT_MS = 86_400_000;

export class WatchedProbes {
  readonly #o: WatchedProbesOptions;
  /** Servers with a watched kind that are not paused, watched or not (the scheduler may be stopped). */
  readonly #servers = new Map<string, MonitoredServer>();
  #running = false;
  #expiryTimer: TimerHandle | null = null;
  #expiryAt: number | null = null;

  constructor(options: WatchedProbesOptions) {
    this.#o = options;
  }

  /** True when the check for `kind` paces itself. */
  watches(kind: ProbeKind): boolean {
    return this.#o.checks[kind]?.watch !== undefined;
  }

  /** True when every kind of the server is watched: the slot plan has nothing to do for it. */
  watchesAll(server: MonitoredServer): boolean {
    return server.kinds.length > 0 && server.kinds.every((k) => this.watches(k));
  }

  /** A server that is probed (not paused): watch its kinds now if running; changed targets apply at once. */
  upsert(server: MonitoredServer): void {
    if (!server.kinds.some((k) => this.watches(k))) return this.forget(server.id);
    this.#servers.set(server.id, server);
    if (this.#running) this.#watch(server);
    this.#armExpiry();
  }

  /** Paused or removed: its watched targets are released. */
  forget(id: string): void {
    const server = this.#servers.get(id);
    if (!server) return;
    this.#servers.delete(id);
    this.#releaseKinds(server);
    if (server.expiresAt !== null && server.expiresAt === this.#expiryAt) this.#armExpiry();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const server of this.#servers.values()) this.#watch(server);
    this.#armExpiry();
  }

  /** Releases every watched target; after this no result of theirs arrives. */
  stop(): void {
    this.#running = false;
    for (const server of this.#servers.values()) this.#releaseKinds(server);
    this.#clearExpiry();
  }

  #watch(server: MonitoredServer): void {
    for (const kind of server.kinds) {
      const check = this.#o.checks[kind];
      if (!check?.watch) continue;
      const serverId = server.id;
      const onSample = this.#o.onSample;
      const now = this.#o.clock;
      check.watch(this.#o.target(server, kind), (result) => {
        const sample: Sample = { serverId, kind, at: result.at ?? now.now(), rttMs: result.rttMs };
        if (result.code !== undefined) sample.code = result.code;
        onSample(sample, result);
      });
    }
  }

  #releaseKinds(server: MonitoredServer): void {
    for (const kind of server.kinds) if (this.watches(kind)) this.#o.checks[kind]?.release?.(server.id);
  }

  #armExpiry(): void {
    let earliest: number | null = null;
    for (const s of this.#servers.values())
      if (s.expiresAt !== null && (earliest === null || s.expiresAt < earliest)) earliest = s.expiresAt;
    if (earliest === this.#expiryAt && this.#expiryTimer !== null) return;
    this.#clearExpiry();
    if (!this.#running || earliest === null) return;
    const clock = this.#o.clock;
    this.#expiryAt = earliest;
    this.#expiryTimer = clock.setTimer(
      () => {
        this.#expiryTimer = null;
        this.#expiryAt = null;
        const now = clock.now();
        for (const s of [...this.#servers.values()]) {
          if (s.expiresAt === null || now < s.expiresAt) continue;
          this.#o.onExpired(s.id);
          this.forget(s.id);
        }
        this.#armExpiry();
      },
      Math.min(MAX_WAIT_MS, Math.max(0, earliest - clock.now())),
    );
  }

  #clearExpiry(): void {
    if (this.#expiryTimer) this.#o.clock.clearTimer(this.#expiryTimer);
    this.#expiryTimer = null;
    this.#expiryAt = null;
  }
}
