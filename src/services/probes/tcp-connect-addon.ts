// TcpConnectCheck's connects through the sipmmsg addon's TCP prober: a non-blocking connect per
// probe and one epoll descriptor for all of them, read on one poll timer while connects are in
// flight. A probe then costs a crossing into native code and a few system calls; Node's socket
// costs a handle, listeners, a wake and a callback per probe, and an Error with a stack for
// each refusal. Polling late does not lengthen a round trip: the addon reports the kernel's own
// measure of the handshake (TCP_INFO), not the time until the poll.
import { getSystemErrorName } from 'node:util';
import { lost, type ProbeResult } from './check';
import type { Clock, TimerHandle } from './clock';
import type { SipMmsgAddon, SipMmsgHandle } from './sip-udp-addon';
import type { TcpConnector, TcpProbe } from './tcp-connect-types';

/**
 * The most a finished connect waits to be collected while any is in flight (its round trip is the
 * kernel's, so it is not lengthened by this). Each batch of connects (the scheduler hands over a
 * batch per wake) also collects at its end, so on a busy fleet the poll timer hardly wakes the
 * process itself; an idle fleet has no timer at all.
 */
export const POLL_MS = 20;
/** Results one tcpPoll() hands back; a full batch means another poll right away. */
const BATCH = 256;

/** The names of the connect() and SO_ERROR errno values, as Node's socket errors say them. */
const errnoNames = new Map<number, string>();

export function errnoName(errno: number): string {
  let name = errnoNames.get(errno);
  if (name === undefined) {
    try {
      name = getSystemErrorName(-errno);
    } catch {
      name = `errno ${errno}`;
    }
    errnoNames.set(errno, name);
  }
  return name;
}

/** The loss a failed connect is, worded as the Node engine words its socket's error. */
export function connectLoss(code: string): ProbeResult {
  return lost(code === 'ECONNREFUSED' ? 'refused' : code);
}

/** True when this build of the addon has the TCP prober (an older build has only the UDP socket). */
export function hasTcpProber(addon: SipMmsgAddon): boolean {
  const fns = addon as Partial<Record<'tcpOpen' | 'tcpConnect' | 'tcpPoll' | 'tcpCancel' | 'tcpClose', unknown>>;
  return (['tcpOpen', 'tcpConnect', 'tcpPoll', 'tcpCancel', 'tcpClose'] as const).every((name) => typeof fns[name] === 'function');
}

export class EpollConnector implements TcpConnector {
  readonly engine = 'epoll' as const;
  readonly #addon: SipMmsgAddon;
  readonly #prober: SipMmsgHandle;
  readonly #clock: Clock;
  readonly #finish: (probe: TcpProbe, result: ProbeResult) => void;
  readonly #byId = new Map<number, TcpProbe>();
  readonly #ids = new Int32Array(BATCH);
  readonly #meta = new Float64Array(BATCH * 2);
  #timer: TimerHandle | null = null;
  #collectPlanned = false;
  /** When the prober was last polled (clock's monotonic ms): the timer's poll is due POLL_MS after it. */
  #collectedAt = 0;
  #closed = false;

  /** Opens the prober; throws when the addon cannot (no descriptor left, say). */
  constructor(addon: SipMmsgAddon, clock: Clock, finish: (probe: TcpProbe, result: ProbeResult) => void) {
    this.#addon = addon;
    this.#clock = clock;
    this.#finish = finish;
    this.#prober = addon.tcpOpen();
  }

  get inFlight(): number {
    return this.#byId.size;
  }

  connect(probe: TcpProbe, address: string, family: 4 | 6): void {
    if (this.#closed) return;
    try {
      probe.id = this.#addon.tcpConnect(this.#prober, family, address, probe.target.port);
    } catch (error) {
      // Only a full table (a million connects in flight) or no memory: a loss, never a throw.
      return this.#finish(probe, lost(error instanceof Error ? error.message : String(error)));
    }
    this.#byId.set(probe.id, probe);
    if (!this.#collectPlanned) {
      this.#collectPlanned = true;
      queueMicrotask(this.#afterBatch);
    }
  }

  cancel(probe: TcpProbe): void {
    if (probe.id < 0 || this.#byId.get(probe.id) !== probe) return;
    this.#byId.delete(probe.id);
    if (!this.#closed) this.#addon.tcpCancel(this.#prober, probe.id);
    probe.id = -1;
    this.#idle();
  }

  /** Collects every finished connect now (the deadline sweep calls it before judging). */
  collect(): void {
    if (this.#closed) return;
    this.#collectedAt = this.#clock.elapsedMs();
    for (;;) {
      const count = this.#addon.tcpPoll(this.#prober, this.#ids, this.#meta);
      for (let i = 0; i < count; i += 1) {
        const probe = this.#byId.get(this.#ids[i] as number);
        if (probe === undefined) continue;
        this.#byId.delete(probe.id);
        probe.id = -1;
        const errno = this.#meta[2 * i] as number;
        this.#finish(probe, errno === 0 ? { rttMs: this.#meta[2 * i + 1] as number } : connectLoss(errnoName(errno)));
      }
      if (count < BATCH || this.#closed) return;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#byId.clear();
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#addon.tcpClose(this.#prober);
  }

  /** No timer is left waiting when nothing is in flight (a cancelled fleet leaves no wake behind). */
  #idle(): void {
    if (this.#byId.size > 0 || this.#timer === null) return;
    this.#clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  /** At the end of a batch of connects: what finished since the last poll, then the timer for the rest. */
  readonly #afterBatch = (): void => {
    this.#collectPlanned = false;
    this.collect();
    this.#arm();
  };

  /**
   * Keeps one poll timer armed while connects are in flight. It is not pushed back at every batch:
   * a cleared Node timer still wakes the process at its old time, so the poll instead looks at
   * when the prober was last polled and sleeps again for the rest when a batch polled it meanwhile.
   */
  #arm(): void {
    if (this.#timer !== null || this.#closed || this.#byId.size === 0) return;
    const wait = this.#collectedAt + POLL_MS - this.#clock.elapsedMs();
    this.#timer = this.#clock.setTimer(this.#poll, Math.max(1, Math.ceil(wait)));
  }

  readonly #poll = (): void => {
    this.#timer = null;
    if (this.#clock.elapsedMs() - this.#collectedAt >= POLL_MS - 1) this.collect();
    this.#arm();
  };
}
