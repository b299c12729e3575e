// ICMP for the whole fleet from one long-running `fping -l` process. Each check waits for the
// next result fping prints for its host. Targets join and leave by restarting fping (batched,
// so a thousand servers arriving at once cause one restart), always waiting for the old process
// to exit first: no orphan, no zombie, never two fpings at once.
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { parseFpingLine } from '../../domain/monitoring/fping-line';
import { AbortedError, lost, type Check, type ProbeResult, type ProbeTarget } from './check';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { stopChild } from './child-process';

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

interface HostState {
  servers: Set<string>;
  intervalMs: number;
  timeoutMs: number;
  waiters: Set<Waiter>;
}

export class FpingCheck implements Check {
  readonly kind = 'icmp' as const;
  readonly #command: readonly string[];
  readonly #clock: Clock;
  readonly #settleMs: number;
  readonly #hosts = new Map<string, HostState>();
  #child: ChildProcess | null = null;
  #running = '';
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

  check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    if (signal.aborted || this.#closed) return Promise.reject(new AbortedError());
    const state = this.#register(target);
    // The next result can be up to one fping period plus its timeout away, plus a restart.
    const wait = Math.max(target.deadlineMs, state.intervalMs + state.timeoutMs + 1_000);
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

  release(serverId: string): void {
    for (const [host, state] of this.#hosts) {
      if (!state.servers.delete(serverId) || state.servers.size > 0) continue;
      for (const w of [...state.waiters]) w.resolve(lost('released'));
      this.#hosts.delete(host);
      this.#scheduleRestart();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#restartTimer) this.#clock.clearTimer(this.#restartTimer);
    this.#restartTimer = null;
    for (const state of this.#hosts.values()) for (const w of [...state.waiters]) w.reject(new AbortedError());
    this.#hosts.clear();
    await this.#restarting;
    await this.#stop();
  }

  #register(target: ProbeTarget): HostState {
    let state = this.#hosts.get(target.host);
    const known = state !== undefined;
    if (!state) {
      state = { servers: new Set(), intervalMs: target.intervalMs, timeoutMs: 0, waiters: new Set() };
      this.#hosts.set(target.host, state);
    }
    const before = `${state.servers.size} ${state.intervalMs} ${state.timeoutMs}`;
    state.servers.add(target.serverId);
    state.intervalMs = Math.min(state.intervalMs, target.intervalMs);
    state.timeoutMs = Math.min(target.deadlineMs, state.intervalMs);
    // Every probe passes here (a thousand a second for a big fleet), and building fping's
    // arguments walks every target: only a new target or a changed period or timeout can change
    // them. Comparing on every probe cost four times fping's own CPU (test/bench/icmp.ts).
    const changed = !known || before !== `${state.servers.size} ${state.intervalMs} ${state.timeoutMs}`;
    if (changed && this.#argsFor() !== this.#running) this.#scheduleRestart();
    return state;
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
    const states = [...this.#hosts.values()];
    const period = Math.min(...states.map((s) => s.intervalMs));
    const timeout = Math.max(50, Math.min(...states.map((s) => s.timeoutMs), period));
    // -i spaces packets to different targets so a period's pings are spread, not sent in a burst.
    const spacing = Math.min(Math.max(Math.floor(period / hosts.length), 1), 100);
    return ['-l', '-p', String(period), '-i', String(spacing), '-t', String(timeout), ...hosts];
  }

  #argsFor(): string {
    return this.#args().join(' ');
  }

  async #restart(): Promise<void> {
    await this.#stop();
    const args = this.#args();
    this.#running = args.join(' ');
    if (this.#closed || args.length === 0) return;
    const [program, ...prefix] = this.#command;
    if (program === undefined) throw new Error('no fping command');
    const child = spawn(program, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    this.spawned += 1;
    this.#child = child;
    child.on('error', () => undefined);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) readline.createInterface({ input: stream }).on('line', (line) => this.#onLine(line));
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
    if (child) await stopChild(child);
  }

  #onLine(line: string): void {
    const parsed = parseFpingLine(line);
    if (!parsed) return;
    const state = this.#hosts.get(parsed.target);
    if (!state) return;
    // fping prints when the answer came (or the wait ended); the sample is dated when it left.
    const at = Math.round(this.#clock.now() - (parsed.rttMs ?? state.timeoutMs));
    const result: ProbeResult = parsed.rttMs === null ? { rttMs: null, error: 'timeout', at } : { rttMs: parsed.rttMs, at };
    for (const w of [...state.waiters]) w.resolve(result);
  }
}
