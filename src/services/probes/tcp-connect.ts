// The 'tcp' probe: time to open a TCP connection to the server's SIP TCP port; refused, no answer
// by the deadline or any other failure is a loss. A probe only opens the connection and then
// resets it, so neither side is left with a TIME_WAIT.
//
// The connects go through the sipmmsg addon's TCP prober when it is built (tcp-connect-addon.ts:
// epoll, no JavaScript socket per probe) and through Node's sockets otherwise; `engine` says
// which, and the results are the same. Both engines are driven the same way: a name is resolved
// here (dns.lookup, the first address) and the engine connects to an address; one sweep timer
// ends overdue probes for both, instead of a timer per probe.
import dns from 'node:dns';
import net from 'node:net';
import { AbortedError, checkByCallback, lost, type Check, type ProbeDone, type ProbeResult, type ProbeTarget } from './check';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { loadSipMmsg, type AddonLoad } from './sip-udp-addon';
import { connectLoss, EpollConnector, hasTcpProber } from './tcp-connect-addon';
import type { TcpConnectEngine, TcpConnector, TcpProbe } from './tcp-connect-types';

export type { TcpConnectEngine, TcpConnector, TcpProbe };

export interface TcpConnectOptions {
  /**
   * `auto` (the default) takes the addon's TCP prober when it loads and Node's sockets otherwise;
   * `node` always Node's; `epoll` the addon or an error.
   */
  engine?: 'auto' | TcpConnectEngine;
  /** The addon as loaded; by default the one built in this checkout (tests give a failed load). */
  addon?: AddonLoad;
}

/** How often overdue probes are looked for: a loss is reported at most this long after its deadline. */
const SWEEP_MS = 100;
/**
 * A host name as DNS spells one: letters, digits, hyphens and dots, its last label not all digits
 * (that is a mistyped address, 999.1.1.1); anything else is a loss without asking a resolver.
 */
const HOST_NAME = /^(?=.{1,253}$)(?![\d.]+$)[a-z0-9_][a-z0-9_-]{0,62}(?:\.[a-z0-9_][a-z0-9_-]{0,62})*\.?$/i;

export class TcpConnectCheck implements Check {
  readonly kind = 'tcp' as const;
  /** Which connector the probes go through (the addon's may still fall back to Node's at first use). */
  readonly engine: TcpConnectEngine;
  /** Why the addon is not used, when it is not. */
  readonly fallbackReason: string | null;
  readonly #clock: Clock;
  readonly #addon: AddonLoad;
  readonly #pending = new Set<TcpProbe>();
  #connector: TcpConnector | null = null;
  /** Node's sockets for what the addon cannot take (an IPv6 address with a zone). */
  #nodeConnector: NodeConnector | null = null;
  #sweepTimer: TimerHandle | null = null;
  #closed = false;

  constructor(clock: Clock = systemClock(), options: TcpConnectOptions = {}) {
    this.#clock = clock;
    const wanted = options.engine ?? 'auto';
    let load: AddonLoad = wanted === 'node' ? { addon: null, reason: 'engine: node' } : (options.addon ?? loadSipMmsg());
    if (load.addon !== null && !hasTcpProber(load.addon)) {
      load = { addon: null, reason: `${load.file} has no TCP prober (an older build: npm run build:sipmmsg)` };
    }
    if (wanted === 'epoll' && load.addon === null) throw new Error(`the sipmmsg addon's TCP prober is not available: ${load.reason}`);
    this.#addon = load;
    this.engine = load.addon === null ? 'node' : 'epoll';
    this.fallbackReason = load.addon === null ? load.reason : null;
  }

  /** Probes begun and not yet ended. */
  get inFlight(): number {
    return this.#pending.size;
  }

  check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    if (this.#closed) return Promise.reject(new AbortedError());
    let probe: TcpProbe | null = null;
    return checkByCallback(
      signal,
      (done, abort) => void (probe = this.#begin(target, done, abort)),
      () => {
        if (probe) this.#end(probe);
      },
    );
  }

  start(target: ProbeTarget, done: ProbeDone): void {
    if (!this.#closed) this.#begin(target, done, null);
  }

  cancelAll(): void {
    for (const probe of this.#pending) if (!probe.abort) this.#end(probe);
    this.#idle();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const probe of [...this.#pending]) {
      this.#end(probe);
      probe.abort?.();
    }
    this.#idle();
    this.#connector?.close();
    this.#nodeConnector?.close();
    this.#connector = null;
    this.#nodeConnector = null;
  }

  #begin(target: ProbeTarget, done: ProbeDone, abort: (() => void) | null): TcpProbe {
    const probe: TcpProbe = { target, done, startedAt: this.#clock.elapsedMs(), abort, id: -1, socket: null };
    const port = target.port;
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      done(target, lost('invalid port'));
      return probe;
    }
    const host = target.host.replace(/^\[(.*)\]$/, '$1');
    const family = net.isIP(host);
    if (family === 0 && !HOST_NAME.test(host)) {
      done(target, lost('invalid address'));
      return probe;
    }
    this.#pending.add(probe);
    if (this.#sweepTimer === null) this.#sweepTimer = this.#clock.setTimer(this.#sweep, SWEEP_MS);
    if (family !== 0) {
      this.#connect(probe, host, family as 4 | 6);
      return probe;
    }
    // A name, resolved per probe as Node's socket would; a failed lookup is a loss in its words.
    dns.lookup(host, (error, address, resolved) => {
      if (!this.#pending.has(probe)) return;
      if (error) return this.#finish(probe, lost(error.code ?? error.message));
      this.#connect(probe, address, resolved === 6 ? 6 : 4);
    });
    return probe;
  }

  #connect(probe: TcpProbe, address: string, family: 4 | 6): void {
    const connector = address.includes('%') ? this.#nodeSockets() : this.#connectorFor();
    connector.connect(probe, address, family);
  }

  /** The engine's connector, made at the first probe; the addon's falls back to Node's when it cannot open. */
  #connectorFor(): TcpConnector {
    if (this.#connector) return this.#connector;
    const addon = this.#addon.addon;
    if (addon !== null) {
      try {
        this.#connector = new EpollConnector(addon, this.#clock, this.#finish);
        return this.#connector;
      } catch {
        // No epoll descriptor to be had now: Node's sockets may still connect.
      }
    }
    this.#connector = this.#nodeSockets();
    return this.#connector;
  }

  #nodeSockets(): NodeConnector {
    return (this.#nodeConnector ??= new NodeConnector(this.#clock, this.#finish));
  }

  /** Forgets a probe without a result, ending its connect. */
  #end(probe: TcpProbe): void {
    if (!this.#pending.delete(probe)) return;
    if (probe.socket) this.#nodeConnector?.cancel(probe);
    else if (probe.id >= 0) this.#connector?.cancel(probe);
  }

  readonly #finish = (probe: TcpProbe, result: ProbeResult): void => {
    if (!this.#pending.delete(probe)) return;
    // Connected after the deadline, before the sweep came by: a loss, as the deadline says.
    probe.done(probe.target, result.rttMs !== null && result.rttMs > probe.target.deadlineMs ? lost('timeout') : result);
  };

  readonly #sweep = (): void => {
    this.#sweepTimer = null;
    // Connects the kernel has finished count, even when their poll has not come yet.
    this.#connector?.collect();
    const now = this.#clock.elapsedMs();
    for (const probe of this.#pending) {
      if (now - probe.startedAt < probe.target.deadlineMs) continue;
      this.#end(probe);
      probe.done(probe.target, lost('timeout'));
    }
    if (this.#pending.size > 0 && !this.#closed) this.#sweepTimer = this.#clock.setTimer(this.#sweep, SWEEP_MS);
  };

  #idle(): void {
    if (this.#pending.size > 0 || this.#sweepTimer === null) return;
    this.#clock.clearTimer(this.#sweepTimer);
    this.#sweepTimer = null;
  }
}

/** Connects with Node's own sockets: the fallback when the addon is not built or cannot open. */
class NodeConnector implements TcpConnector {
  readonly engine = 'node' as const;
  readonly #clock: Clock;
  readonly #finish: (probe: TcpProbe, result: ProbeResult) => void;

  constructor(clock: Clock, finish: (probe: TcpProbe, result: ProbeResult) => void) {
    this.#clock = clock;
    this.#finish = finish;
  }

  connect(probe: TcpProbe, address: string, family: 4 | 6): void {
    const socket = net.connect({ host: address, port: probe.target.port, family });
    probe.socket = socket;
    socket.once('connect', () => {
      const rttMs = this.#clock.elapsedMs() - probe.startedAt;
      this.cancel(probe);
      this.#finish(probe, { rttMs });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      this.cancel(probe);
      this.#finish(probe, connectLoss(error.code ?? error.message));
    });
  }

  cancel(probe: TcpProbe): void {
    const socket = probe.socket;
    if (!socket) return;
    probe.socket = null;
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    // Reset rather than leave a TIME_WAIT on our side. A socket still connecting is destroyed
    // outright (resetting would wait for it).
    if (socket.readyState === 'open') socket.resetAndDestroy();
    else socket.destroy();
  }

  collect(): void {}

  close(): void {}
}
