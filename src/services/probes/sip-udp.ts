// SIP OPTIONS over UDP for the whole fleet through one socket per address family. Answers are
// paired with requests by top Via branch, Call-ID and CSeq (number and method); anything else
// that arrives (strays, late answers to probes already counted lost, requests, garbage,
// oversized datagrams) is dropped. Only a final response received from the network ever ends a
// probe as alive; our deadline ends it as a loss. No retransmission: one datagram, one sample,
// so the loss we chart is the network's.
//
// Built for a thousand probes a second at little CPU: each target's request is validated once and
// kept as a template (with its local address), identifiers come from a per-process random prefix
// and a counter, answers are read from their bytes with no string or object made
// (sip-answer-read.ts: the fast matcher, then the full parser, only for what that cannot decide),
// and one sweep timer ends overdue probes instead of a timer per probe (a loss needs no precise
// time; an answer after the deadline is still a loss).
//
// The socket is the sipmmsg addon's when it is built (batches of datagrams per system call, see
// sip-udp-mmsg.ts) and Node's own otherwise; `engine` says which, and the results are the same.
import net from 'node:net';
import { BRANCH_COOKIE } from '../../domain/sip/check-via';
import { optionsTemplate } from '../../domain/sip/options-template';
import { cryptoRandomHex } from '../../domain/sip/random';
import { MAX_MESSAGE_BYTES } from '../../domain/sip/scan';
import { AbortedError, checkByCallback, lost, type Check, type ProbeDone, type ProbeResult, type ProbeTarget } from './check';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { localAddressFor } from './local-address';
import { PendingRing } from './pending-ring';
import { FIRST_SEQ, HEX_DIGITS, LAST_SEQ, ownAnswerInBytes, ownAnswerInText, SEQ_SPAN, UNDECIDED } from './sip-answer-read';
import { loadSipMmsg, type AddonLoad } from './sip-udp-addon';
import { MmsgUdpSocket } from './sip-udp-mmsg';
import { openNodeSocket, type SipUdpEngine, type SipUdpSocket, type SocketOptions, type UdpFamily } from './sip-udp-socket';

export interface SipUdpOptions {
  clock?: Clock;
  /** Switchyard's version for the User-Agent. */
  version?: string;
  /** Address to bind; any by default. */
  bindAddress?: string;
  /**
   * `auto` (the default) takes the sipmmsg addon when it loads and Node's sockets otherwise;
   * `node` always Node's; `mmsg` the addon or an error.
   */
  engine?: 'auto' | SipUdpEngine;
  /** The addon as loaded; by default the one built in this checkout (tests give a failed load). */
  addon?: AddonLoad;
}

/**
 * What one target's probes reuse: its socket, its bare address and its request, rendered once
 * into bytes with fixed-width identifiers that each probe overwrites in place.
 */
interface Prepared {
  host: string;
  port: number;
  address: string;
  socket: SipUdpSocket;
  request: Buffer;
  branchAt: number;
  callIdAt: number;
  cseqAt: number;
  /** Probes of this target not yet ended; while any is, the next one writes into a copy. */
  inFlight: number;
}

interface Pending {
  seq: number;
  prepared: Prepared;
  sentAt: number;
  target: ProbeTarget;
  done: ProbeDone;
  /** Set for probes begun by check(): close() rejects them; start() probes just end. */
  abort?: () => void;
}

/** How often overdue probes are looked for: a loss is reported at most this long after its deadline. */
const SWEEP_MS = 100;
// The counter (FIRST_SEQ to LAST_SEQ, sip-answer-read.ts) stays within [2^30, 2^31): always 10 decimal digits (the CSeq, below 2^31 as RFC 3261
// section 8.1.1.5 asks) and 8 hex digits (in the branch and the Call-ID), so the identifiers keep
// their width and their place in the request bytes. A power-of-two range also keeps the pending
// ring's slots (seq modulo a power of two) in step across the wrap. Requests write it in hex with:
const HEX = Buffer.from('0123456789abcdef', 'latin1');

export class SipUdpCheck implements Check {
  readonly kind = 'sip-udp' as const;
  readonly #clock: Clock;
  readonly #version: string;
  readonly #bindAddress: string | undefined;
  readonly #sockets = new Map<UdpFamily, Promise<SipUdpSocket>>();
  /** The sockets open so far, read before the sweep judges deadlines. */
  readonly #open: SipUdpSocket[] = [];
  readonly #addon: AddonLoad;
  readonly #prepared = new Map<string, Prepared>();
  readonly #pending = new PendingRing<Pending>();
  // Unique per process, so branch and Call-ID stay unique with only a counter after them.
  readonly #branchPrefix = cryptoRandomHex(6);
  readonly #callIdPrefix = cryptoRandomHex(8);
  readonly #branchHead = BRANCH_COOKIE + this.#branchPrefix;
  readonly #branchHeadBytes = Buffer.from(this.#branchHead, 'latin1');
  readonly #callIdHeadBytes = Buffer.from(this.#callIdPrefix, 'latin1');
  #seq = FIRST_SEQ - 1;
  /** Bumped by cancelAll(): a start() still preparing its target sends nothing afterwards. */
  #generation = 0;
  #sweepTimer: TimerHandle | null = null;
  #closed = false;
  /** Datagrams dropped since start (strays, late, garbage); for diagnostics and tests. */
  dropped = 0;
  /** Which socket the probes go through. */
  readonly engine: SipUdpEngine;
  /** Why the addon is not used, when it is not. */
  readonly fallbackReason: string | null;

  constructor(options: SipUdpOptions = {}) {
    this.#clock = options.clock ?? systemClock();
    this.#version = options.version ?? 'dev';
    this.#bindAddress = options.bindAddress;
    const wanted = options.engine ?? 'auto';
    this.#addon = wanted === 'node' ? { addon: null, reason: 'engine: node' } : (options.addon ?? loadSipMmsg());
    if (wanted === 'mmsg' && this.#addon.addon === null) throw new Error(`the sipmmsg addon is not available: ${this.#addon.reason}`);
    this.engine = this.#addon.addon === null ? 'node' : 'mmsg';
    this.fallbackReason = this.#addon.addon === null ? this.#addon.reason : null;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** The local port of a family's socket, once open (tests aim stray datagrams at it). */
  async localPort(family: UdpFamily = 'udp4'): Promise<number> {
    return (await this.#socket(family)).port;
  }

  check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    if (this.#closed) return Promise.reject(new AbortedError());
    return checkByCallback(
      signal,
      (done, abort) => this.#begin(target, done, abort),
      (done) =>
        this.#pending.forEach((p) => {
          if (p.done === done) this.#end(p);
        }),
    );
  }

  start(target: ProbeTarget, done: ProbeDone): void {
    if (!this.#closed) this.#begin(target, done);
  }

  cancelAll(): void {
    this.#generation += 1;
    this.#pending.forEach((p) => {
      if (!p.abort) this.#end(p);
    });
  }

  release(serverId: string): void {
    this.#prepared.delete(serverId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#pending.takeAll()) p.abort?.();
    if (this.#sweepTimer) this.#clock.clearTimer(this.#sweepTimer);
    this.#sweepTimer = null;
    this.#prepared.clear();
    const sockets = await Promise.allSettled([...this.#sockets.values()]);
    this.#sockets.clear();
    this.#open.length = 0;
    await Promise.all(sockets.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
  }

  #begin(target: ProbeTarget, done: ProbeDone, abort?: () => void): void {
    const ready = this.#prepared.get(target.serverId);
    if (ready && ready.host === target.host && ready.port === target.port) return this.#send(ready, target, done, abort);
    const generation = this.#generation;
    void this.#prepare(target).then((prepared) => {
      if (this.#closed) return abort?.();
      if (typeof prepared !== 'string') this.#prepared.set(target.serverId, prepared);
      if (!abort && generation !== this.#generation) return;
      if (typeof prepared === 'string') return done(target, lost(prepared));
      this.#send(prepared, target, done, abort);
    });
  }

  /** Socket, local address and validated request for a target; a message when it cannot be probed. */
  async #prepare(target: ProbeTarget): Promise<Prepared | string> {
    try {
      const address = target.host.replace(/^\[|\]$/g, '');
      const socket = await this.#socket(net.isIPv6(address) ? 'udp6' : 'udp4');
      const localHost = await localAddressFor(target.host, target.port);
      const template = optionsTemplate({
        host: target.host,
        port: target.port,
        transport: 'udp',
        localHost,
        localPort: socket.port,
        version: this.#version,
      });
      const seqHex = FIRST_SEQ.toString(16);
      const request = Buffer.from(template.render(this.#branchPrefix + seqHex, this.#callIdPrefix + seqHex, FIRST_SEQ), 'latin1');
      const branchAt = request.indexOf(`;branch=${this.#branchHead}${seqHex};`) + ';branch='.length + this.#branchHead.length;
      const callIdAt =
        request.indexOf(`\r\nCall-ID: ${this.#callIdPrefix}${seqHex}\r\n`) + '\r\nCall-ID: '.length + this.#callIdPrefix.length;
      const cseqAt = request.indexOf(`\r\nCSeq: ${FIRST_SEQ} OPTIONS\r\n`) + '\r\nCSeq: '.length;
      if (Math.min(branchAt, callIdAt, cseqAt) < 20) throw new Error('the OPTIONS request has no place for its identifiers');
      return { host: target.host, port: target.port, address, socket, request, branchAt, callIdAt, cseqAt, inFlight: 0 };
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  #send(prepared: Prepared, target: ProbeTarget, done: ProbeDone, abort?: () => void): void {
    const seq = (this.#seq = this.#seq >= LAST_SEQ ? FIRST_SEQ : this.#seq + 1);
    // An earlier datagram of this target may still be queued (by Node or for the addon's batch) and keeps its bytes.
    const request = prepared.inFlight > 0 ? Buffer.from(prepared.request) : prepared.request;
    writeHex(request, prepared.branchAt, seq);
    writeHex(request, prepared.callIdAt, seq);
    writeDecimal(request, prepared.cseqAt, seq);
    const pending: Pending = { seq, prepared, sentAt: this.#clock.elapsedMs(), target, done };
    if (abort) pending.abort = abort;
    prepared.inFlight += 1;
    this.#pending.add(pending);
    prepared.socket.send(request, target.port, prepared.address);
    if (this.#sweepTimer === null) this.#sweepTimer = this.#clock.setTimer(this.#sweep, SWEEP_MS);
  }

  #end(pending: Pending): void {
    if (this.#pending.delete(pending.seq)) pending.prepared.inFlight -= 1;
  }

  readonly #sweep = (): void => {
    this.#sweepTimer = null;
    // Answers already in the kernel count: the addon's socket may not have read them yet.
    for (const socket of this.#open) socket.drain();
    const now = this.#clock.elapsedMs();
    this.#pending.forEach(this.#sweepOne.bind(this, now));
    if (this.#pending.size > 0 && !this.#closed) this.#sweepTimer = this.#clock.setTimer(this.#sweep, SWEEP_MS);
  };

  #sweepOne(now: number, p: Pending): void {
    if (now - p.sentAt < p.target.deadlineMs) return;
    this.#end(p);
    p.done(p.target, lost('timeout'));
  }

  #socket(family: UdpFamily): Promise<SipUdpSocket> {
    let socket = this.#sockets.get(family);
    if (!socket) {
      // close() closes every socket of #sockets, one still opening included.
      socket = this.#openSocket(family).then((opened) => {
        this.#open.push(opened);
        return opened;
      });
      this.#sockets.set(family, socket);
    }
    return socket;
  }

  async #openSocket(family: UdpFamily): Promise<SipUdpSocket> {
    const options: SocketOptions = {
      family,
      bindAddress: this.#bindAddress,
      clock: this.#clock,
      onDatagram: (data, arrivedMs, readMs) => this.#onMessage(data, arrivedMs, readMs),
      awaiting: () => this.#pending.size > 0,
    };
    const addon = this.#addon.addon;
    if (addon === null) return openNodeSocket(options);
    try {
      return new MmsgUdpSocket(addon, options);
    } catch (error) {
      // The addon loaded but cannot open this socket (a family the host lacks, say): Node's may.
      return openNodeSocket(options).catch(() => Promise.reject(error instanceof Error ? error : new Error(String(error))));
    }
  }

  #onMessage(data: Buffer | null, arrivedMs: number, readMs: number): void {
    if (data === null || data.length === 0 || data.length > MAX_MESSAGE_BYTES) return void (this.dropped += 1);
    // The byte reader settles the common case without a string or an object; the text reader
    // (fast matcher, then the full parser) everything it leaves undecided, as before.
    const bytes = ownAnswerInBytes(data, this.#branchHeadBytes, this.#callIdHeadBytes);
    const answer = bytes !== UNDECIDED ? bytes : ownAnswerInText(data, this.#branchHead, this.#callIdPrefix);
    const seq = answer % SEQ_SPAN;
    const pending = answer === UNDECIDED ? undefined : this.#pending.get(seq);
    if (pending === undefined) return void (this.dropped += 1);
    const status = (answer - seq) / SEQ_SPAN;
    // A provisional answer (100 Trying) is not the final word; keep waiting for it.
    if (status < 200) return;
    this.#end(pending);
    // The kernel's arrival stamp is on the wall clock: stepped forward between the arrival and the
    // read (a virtual machine resynchronising, NTP), it says the answer came before the question.
    // Such a stamp is not used; the read time is, as Node's socket would give.
    const rttMs = Math.max(0, (arrivedMs >= pending.sentAt ? arrivedMs : readMs) - pending.sentAt);
    // Past our deadline the sweep had not run yet: still a loss, as the deadline says.
    pending.done(pending.target, rttMs > pending.target.deadlineMs ? lost('timeout') : { rttMs, code: status });
  }
}

function writeHex(into: Buffer, at: number, value: number): void {
  for (let i = HEX_DIGITS - 1, v = value; i >= 0; i--, v >>>= 4) into[at + i] = HEX[v & 15] as number;
}

function writeDecimal(into: Buffer, at: number, value: number): void {
  for (let i = 9, v = value; i >= 0; i--, v = Math.floor(v / 10)) into[at + i] = 0x30 + (v % 10);
}
