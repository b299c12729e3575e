// SipUdpCheck's socket through the sipmmsg addon: the requests of one task (a scheduler wake hands
// over every probe due in the next few ms) leave in one sendmmsg at its end, and answers are read
// with recvmmsg, as many as are waiting, right after each batch and on a slow timer while probes
// wait and no batch comes. One crossing into native code and one system call then serve a batch,
// where Node's socket pays both per datagram (and a wake and a callback into JS per answer).
// Reading late does not skew round trips: each answer carries the kernel's receive time, so it is
// timed from its arrival.
import dns from 'node:dns';
import net from 'node:net';
import { MAX_MESSAGE_BYTES } from '../../domain/sip/scan';
import type { SipMmsgAddon, SipMmsgHandle } from './sip-udp-addon';
import type { TimerHandle } from './clock';
import { RECEIVE_BUFFER_BYTES, type SipUdpSocket, type SocketOptions } from './sip-udp-socket';

/**
 * How long answers may wait unread while probes wait and no batch was sent meanwhile: the most an
 * answer's report is delayed (its round trip is not). On a busy fleet every batch reads them
 * (a batch every few ms), so the timer only serves a quiet one, where 50 ms of delay is nothing
 * beside the interval; each wake of an idle process costs far more CPU than the read it does.
 */
export const POLL_MS = 50;
/** Receive slots per recvmmsg (a batch's answers in one call); each holds the largest datagram a probe reads. */
const SLOTS = 32;

export class MmsgUdpSocket implements SipUdpSocket {
  readonly engine = 'mmsg' as const;
  readonly port: number;
  readonly #addon: SipMmsgAddon;
  readonly #socket: SipMmsgHandle;
  readonly #options: SocketOptions;
  readonly #targets = new Map<string, number>();
  readonly #into = Buffer.allocUnsafeSlow(SLOTS * MAX_MESSAGE_BYTES);
  readonly #meta = new Float64Array(SLOTS * 2);
  #queued: Buffer[] = [];
  #queuedTargets = new Int32Array(64);
  #count = 0;
  #flushPlanned = false;
  #pollTimer: TimerHandle | null = null;
  /** When the socket was last read (clock's monotonic ms): the poll is due POLL_MS after it. */
  #drainedAt = 0;
  #closed = false;

  constructor(addon: SipMmsgAddon, options: SocketOptions) {
    this.#addon = addon;
    this.#options = options;
    const family = options.family === 'udp6' ? 6 : 4;
    this.#socket = addon.open(family, options.bindAddress ?? '', RECEIVE_BUFFER_BYTES);
    this.port = addon.localPort(this.#socket);
  }

  send(data: Buffer, port: number, address: string): void {
    if (this.#closed) return;
    if (net.isIP(address) !== 0) return this.#queue(data, this.#target(address, port));
    // A name, resolved per probe as Node's socket does; a failed lookup sends nothing (a loss).
    const family = this.#options.family === 'udp6' ? 6 : 4;
    dns.lookup(address, { family }, (error, resolved) => {
      if (!error && !this.#closed) this.#queue(data, this.#target(resolved, port));
    });
  }

  drain(): void {
    if (this.#closed) return;
    const clock = this.#options.clock;
    const sink = this.#options.onDatagram;
    this.#drainedAt = clock.elapsedMs();
    for (;;) {
      const count = this.#addon.recv(this.#socket, this.#into, this.#meta);
      const now = clock.elapsedMs();
      for (let i = 0; i < count; i += 1) {
        const length = this.#meta[2 * i] as number;
        // The kernel's age of the datagram, kept within what it can be (a clock step could say otherwise).
        const age = Math.min(Math.max(this.#meta[2 * i + 1] as number, 0), now);
        if (length < 0) sink(null, now - age, now);
        else sink(this.#into.subarray(i * MAX_MESSAGE_BYTES, i * MAX_MESSAGE_BYTES + length), now - age, now);
      }
      if (count < SLOTS || this.#closed) return;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#queued = [];
    this.#count = 0;
    if (this.#pollTimer) this.#options.clock.clearTimer(this.#pollTimer);
    this.#pollTimer = null;
    this.#addon.close(this.#socket);
  }

  #target(address: string, port: number): number {
    const key = `${address} ${port}`;
    let index = this.#targets.get(key);
    if (index === undefined) {
      index = this.#addon.addTarget(this.#socket, address, port);
      this.#targets.set(key, index);
    }
    return index;
  }

  #queue(data: Buffer, target: number): void {
    if (this.#count === this.#queuedTargets.length) {
      const grown = new Int32Array(this.#count * 2);
      grown.set(this.#queuedTargets);
      this.#queuedTargets = grown;
    }
    this.#queued[this.#count] = data;
    this.#queuedTargets[this.#count] = target;
    this.#count += 1;
    if (!this.#flushPlanned) {
      this.#flushPlanned = true;
      queueMicrotask(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#flushPlanned = false;
    if (this.#closed) return;
    if (this.#count > 0) {
      this.#addon.send(this.#socket, this.#queued, this.#queuedTargets, this.#count);
      // Dropped rather than cleared slot by slot: the batch is already in the kernel.
      this.#queued = [];
      this.#count = 0;
    }
    this.drain();
    this.#arm();
  };

  /**
   * Keeps one poll armed while answers are awaited. It is not pushed back at every batch: a
   * cleared Node timer still wakes the process at its old time (libuv's timer is not moved), so
   * clearing and re-arming per batch would cost a wake per batch. The poll instead looks at when
   * the socket was last read and sleeps again for the rest when a batch read it meanwhile.
   */
  #arm(): void {
    if (this.#pollTimer !== null || this.#closed || !this.#options.awaiting()) return;
    const wait = this.#drainedAt + POLL_MS - this.#options.clock.elapsedMs();
    this.#pollTimer = this.#options.clock.setTimer(this.#poll, Math.max(1, Math.ceil(wait)));
  }

  readonly #poll = (): void => {
    this.#pollTimer = null;
    if (this.#options.clock.elapsedMs() - this.#drainedAt >= POLL_MS - 1) this.drain();
    this.#arm();
  };
}
