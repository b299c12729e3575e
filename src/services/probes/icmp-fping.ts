// ICMP for the whole fleet from one long-running `fping -l` process. fping paces itself, so a
// watched target (the monitoring path) gets every result fping prints for it, handed straight
// on; `check` (the probe CLI) waits for the next one. Targets join and leave by restarting fping
// (batched, so a thousand servers arriving at once cause one restart), always waiting for the
// old process to exit first: no orphan, no zombie, never two fpings at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { scanFpingLine } from '../../domain/monitoring/fping-line';
import { AbortedError, lost, type Check, type ProbeResult, type ProbeTarget } from './check';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { stopChild } from './child-process';
import { drainEveryMs, drainPeriodically, spawnBatched } from './fping-output';

export interface FpingOptions {
  /** The program and any leading arguments; tests put `ip netns exec NS` in front. */
  command?: readonly string[];
  clock?: Clock;
  /** How long to gather target changes before restarting fping. */
  settleMs?: number;
}

interface Waiter {
  resolve(result: ProbeResult): void;
  reject(error: Error): void;
  timer: TimerHandle;
}

/** One server probing a host: its period and timeout, and where its results go when watched. */
interface Member {
  intervalMs: number;
  timeoutMs: number;
  emit: ((result: ProbeResult) => void) | null;
}

interface HostState {
  members: Map<string, Member>;
  /** The shortest timeout of its members: a timeout line is dated this long before it was printed. */
  timeoutMs: number;
  waiters: Set<Waiter>;
}

export class FpingCheck implements Check {
  readonly kind = 'icmp' as const;
  readonly #command: readonly string[];
  readonly #clock: Clock;
  readonly #settleMs: number;
  readonly #hosts = new Map<string, HostState>();
  readonly #hostOf = new Map<string, string>();
  #child: ChildProcess | null = null;
  #drains: { stop(): void }[] = [];
  #running = '';
  #lineRate = 0;
  #restartTimer: TimerHandle | null = null;
  #restarting: Promise<void> = Promise.resolve();
  #closed = false;
  /** How many fping processes were started; tests check restarts are batched. */
  spawned = 0;

  constructor(options: FpingOptions = {}) {
    this.#command = options.command ?? ['fping'];
    this.#clock = options.clock ?? systemClock();
    this.#settleMs = options.settleMs ?? 50;
  }

  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  /** Hosts fping is asked to probe now or at its next restart. */
  get targets(): number {
    return this.#hosts.size;
  }

  check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    if (signal.aborted || this.#closed) return Promise.reject(new AbortedError());
    const state = this.#register(target, null);
    // The next result can be up to one fping period plus its timeout away, plus a restart.
    const wait = Math.max(target.deadlineMs, target.intervalMs + state.timeoutMs + 1_000);
    return new Promise<ProbeResult>((resolve, reject) => {
      const done = () => {
        this.#clock.clearTimer(waiter.timer);
        state.waiters.delete(waiter);
        signal.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
        timer: this.#clock.setTimer(() => waiter.resolve(lost('no result from fping')), wait),
      };
      const onAbort = () => waiter.reject(new AbortedError());
      signal.addEventListener('abort', onAbort, { once: true });
      state.waiters.add(waiter);
    });
  }

  /** Every result fping prints for the target goes to `emit`, dated when the probe left, until `release`. */
  watch(target: ProbeTarget, emit: (result: ProbeResult) => void): void {
    if (this.#closed) return;
    this.#register(target, emit);
  }

  release(serverId: string): void {
    const host = this.#hostOf.get(serverId);
    if (host === undefined) return;
    this.#hostOf.delete(serverId);
    const state = this.#hosts.get(host);
    if (!state || !state.members.delete(serverId)) return;
    if (state.members.size > 0) {
      this.#settle(state);
    } else {
      for (const w of [...state.waiters]) w.resolve(lost('released'));
      this.#hosts.delete(host);
    }
    this.#scheduleRestart();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#restartTimer) this.#clock.clearTimer(this.#restartTimer);
    this.#restartTimer = null;
    for (const state of this.#hosts.values()) for (const w of [...state.waiters]) w.reject(new AbortedError());
    this.#hosts.clear();
    this.#hostOf.clear();
    await this.#restarting;
    await this.#stop();
  }

  #register(target: ProbeTarget, emit: Member['emit']): HostState {
    const previousHost = this.#hostOf.get(target.serverId);
    if (previousHost !== undefined && previousHost !== target.host) this.release(target.serverId);
    let state = this.#hosts.get(target.host);
    if (!state) {
      state = { members: new Map(), timeoutMs: 0, waiters: new Set() };
      this.#hosts.set(target.host, state);
    }
    this.#hostOf.set(target.serverId, target.host);
    const timeoutMs = Math.min(target.deadlineMs, target.intervalMs);
    const member = state.members.get(target.serverId);
    // `check` passes here for every probe: only a new member or a changed period or timeout can
    // change fping's arguments, which are rebuilt from all targets.
    if (member && member.intervalMs === target.intervalMs && member.timeoutMs === timeoutMs) {
      if (emit) member.emit = emit;
      return state;
    }
    state.members.set(target.serverId, { intervalMs: target.intervalMs, timeoutMs, emit: emit ?? member?.emit ?? null });
    this.#settle(state);
    this.#scheduleRestart();
    return state;
  }

  #settle(state: HostState): void {
    let timeout = Infinity;
    for (const m of state.members.values()) timeout = Math.min(timeout, m.timeoutMs);
    state.timeoutMs = timeout;
  }

  #scheduleRestart(): void {
    if (this.#restartTimer || this.#closed) return;
    this.#restartTimer = this.#clock.setTimer(() => {
      this.#restartTimer = null;
      this.#restarting = this.#restarting.then(() => this.#restart());
    }, this.#settleMs);
  }

  /** fping's arguments for the current targets: one period (the shortest interval), spread over all of them. */
  #args(): string[] {
    const hosts = [...this.#hosts.keys()].sort();
    if (hosts.length === 0) return [];
    let period = Infinity;
    let timeout = Infinity;
    for (const state of this.#hosts.values()) {
      for (const m of state.members.values()) period = Math.min(period, m.intervalMs);
      timeout = Math.min(timeout, state.timeoutMs);
    }
    timeout = Math.max(50, Math.min(timeout, period));
    // -i spaces packets to different targets so a period's pings are spread, not sent in a burst.
    // Below 1 ms when the fleet needs it (fping 5 takes fractions): with 10,000 targets at a 5 s
    // period a whole 1 ms each made one round last 10 s, so every target missed every other slot.
    // fping adds its own time to each gap (about 0.1 ms a target here), so the pings are spread
    // over SPREAD_PERCENT of the period: at 10,000 targets every 5 s a gap of the whole 0.5 ms made rounds
    // of about 6 s and kept 84 % of the slots; 0.4 ms kept all of them, 0.35 with room to spare.
    const spacing = fpingSpacingMs(period, hosts.length);
    this.#lineRate = (hosts.length * 1_000) / period;
    // -D stamps each line with when fping printed it: lines are read in batches, so the time we
    // read one says little about when its probe left.
    return ['-l', '-D', '-p', String(period), '-i', String(spacing), '-t', String(timeout), ...hosts];
  }

  async #restart(): Promise<void> {
    const args = this.#args();
    const line = args.join(' ');
    // Targets that left and came back, or changes that cancel out: the running fping is right.
    if (line === this.#running && this.#child !== null) return;
    await this.#stop();
    this.#running = line;
    if (this.#closed || args.length === 0) return;
    const [program, ...prefix] = this.#command;
    if (program === undefined) throw new Error('no fping command');
    const child = spawnBatched(() =>
      spawn(program, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } }),
    );
    this.spawned += 1;
    this.#child = child;
    child.on('error', () => undefined);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream)
        this.#drains.push(
          drainPeriodically(
            stream,
            this.#clock,
            () => drainEveryMs(this.#lineRate),
            (l) => this.#onLine(l),
          ),
        );
    }
    child.once('exit', () => {
      if (this.#child !== child) return;
      // fping died on its own (a bad host, a signal): start again after a pause, not in a loop.
      this.#child = null;
      this.#running = '';
      if (!this.#closed && this.#hosts.size > 0) {
        this.#restartTimer = this.#clock.setTimer(() => {
          this.#restartTimer = null;
          this.#restarting = this.#restarting.then(() => this.#restart());
        }, 1_000);
      }
    });
  }

  async #stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    for (const d of this.#drains) d.stop();
    this.#drains = [];
    if (child) await stopChild(child);
  }

  #onLine(line: string): void {
    const parsed = scanFpingLine(line);
    if (!parsed) return;
    const state = this.#hosts.get(parsed.target);
    if (!state) return;
    // fping prints when the answer came (or the wait ended); the sample is dated when it left.
    const printed = parsed.timestamp ?? this.#clock.now();
    const at = Math.round(printed - (parsed.rttMs ?? state.timeoutMs));
    const result: ProbeResult = parsed.rttMs === null ? { rttMs: null, error: 'timeout', at } : { rttMs: parsed.rttMs, at };
    for (const m of state.members.values()) if (m.emit) m.emit(result);
    if (state.waiters.size > 0) for (const w of [...state.waiters]) w.resolve(result);
  }
}

/** Percent of the period fping's round of pings is spread over; the rest is fping's own time. */
export const SPREAD_PERCENT = 70;

/** fping's -i (ms between pings to different targets, to 0.01): a round of `targets` within SPREAD_PERCENT of `periodMs`. */
export function fpingSpacingMs(periodMs: number, targets: number): number {
  return Math.min(Math.max(Math.floor((SPREAD_PERCENT * periodMs) / Math.max(1, targets)) / 100, 0.1), 100);
}
