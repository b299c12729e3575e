// SIP OPTIONS over UDP for the whole fleet through one socket per address family. Answers are
// paired with requests by top Via branch, Call-ID and CSeq (number and method); anything else
// that arrives (strays, late answers to probes already counted lost, requests, garbage,
// oversized datagrams) is dropped. Only a parsed final response received from the network ever
// ends a probe as alive; our deadline ends it as a loss. No retransmission: one datagram, one
// sample, so the loss we chart is the network's.
import dgram from 'node:dgram';
import net from 'node:net';
import { matchKey, parseSipMessage } from '../../domain/sip/message';
import { buildOptions } from '../../domain/sip/options';
import { MAX_MESSAGE_BYTES } from '../../domain/sip/scan';
import { AbortedError, lost, type Check, type ProbeResult, type ProbeTarget } from './check';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { localAddressFor } from './local-address';

export interface SipUdpOptions {
  clock?: Clock;
  /** Switchyard's version for the User-Agent. */
  version?: string;
  /** Address to bind; any by default. */
  bindAddress?: string;
}

interface Pending {
  callId: string;
  cseq: number;
  sentAt: number;
  timer: TimerHandle;
  settle(result: ProbeResult | AbortedError): void;
}

type Family = 'udp4' | 'udp6';

export class SipUdpCheck implements Check {
  readonly kind = 'sip-udp' as const;
  readonly #clock: Clock;
  readonly #version: string;
  readonly #bindAddress: string | undefined;
  readonly #sockets = new Map<Family, Promise<dgram.Socket>>();
  readonly #pending = new Map<string, Pending>();
  #cseq = 0;
  #closed = false;
  /** Datagrams dropped since start (strays, late, garbage); for diagnostics and tests. */
  dropped = 0;

  constructor(options: SipUdpOptions = {}) {
    this.#clock = options.clock ?? systemClock();
    this.#version = options.version ?? 'dev';
    this.#bindAddress = options.bindAddress;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** The local port of a family's socket, once open (tests aim stray datagrams at it). */
  async localPort(family: Family = 'udp4'): Promise<number> {
    return (await this.#socket(family)).address().port;
  }

  async check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    if (signal.aborted || this.#closed) throw new AbortedError();
    const family: Family = net.isIPv6(target.host.replace(/^\[|\]$/g, '')) ? 'udp6' : 'udp4';
    let socket: dgram.Socket;
    let localHost: string;
    try {
      socket = await this.#socket(family);
      localHost = await localAddressFor(target.host, target.port);
    } catch (error) {
      return lost(error instanceof Error ? error.message : String(error));
    }
    this.#cseq = (this.#cseq % 2_000_000_000) + 1;
    let request;
    try {
      request = buildOptions({ host: target.host, port: target.port, transport: 'udp', localHost, localPort: socket.address().port, cseq: this.#cseq, version: this.#version });
    } catch (error) {
      return lost(error instanceof Error ? error.message : String(error));
    }
    const host = target.host.replace(/^\[|\]$/g, '');
    return new Promise<ProbeResult>((resolve, reject) => {
      const onAbort = () => pending.settle(new AbortedError());
      const pending: Pending = {
        callId: request.callId,
        cseq: request.cseq,
        sentAt: this.#clock.elapsedMs(),
        timer: this.#clock.setTimer(() => pending.settle(lost('timeout')), target.deadlineMs),
        settle: (outcome) => {
          if (this.#pending.get(request.branch) !== pending) return;
          this.#pending.delete(request.branch);
          this.#clock.clearTimer(pending.timer);
          signal.removeEventListener('abort', onAbort);
          if (outcome instanceof AbortedError) reject(outcome);
          else resolve(outcome);
        },
      };
      this.#pending.set(request.branch, pending);
      signal.addEventListener('abort', onAbort, { once: true });
      socket.send(request.text, target.port, host, (error) => {
        if (error) pending.settle(lost((error as NodeJS.ErrnoException).code ?? error.message));
      });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of [...this.#pending.values()]) p.settle(new AbortedError());
    const sockets = await Promise.allSettled([...this.#sockets.values()]);
    this.#sockets.clear();
    await Promise.all(
      sockets.map((s) => (s.status === 'fulfilled' ? new Promise<void>((resolve) => s.value.close(() => resolve())) : Promise.resolve())),
    );
  }

  #socket(family: Family): Promise<dgram.Socket> {
    let socket = this.#sockets.get(family);
    if (!socket) {
      socket = new Promise<dgram.Socket>((resolve, reject) => {
        const s = dgram.createSocket({ type: family, recvBufferSize: 1 << 20 });
        s.on('message', (data, rinfo) => this.#onMessage(data, rinfo));
        // An error on the shared socket must not take the process down; probes time out.
        s.on('error', () => undefined);
        s.once('listening', () => resolve(s));
        try {
          s.bind({ port: 0, ...(this.#bindAddress ? { address: this.#bindAddress } : {}) });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      this.#sockets.set(family, socket);
    }
    return socket;
  }

  #onMessage(data: Buffer, _from: dgram.RemoteInfo): void {
    if (data.length === 0 || data.length > MAX_MESSAGE_BYTES) return void (this.dropped += 1);
    const parsed = parseSipMessage(data);
    if (!parsed.ok || parsed.message.kind !== 'response') return void (this.dropped += 1);
    const key = matchKey(parsed.message);
    const pending = key.branch === null ? undefined : this.#pending.get(key.branch);
    if (!pending || key.callId !== pending.callId || key.cseqMethod !== 'OPTIONS' || key.cseq !== pending.cseq || key.status === null) {
      return void (this.dropped += 1);
    }
    // A provisional answer (100 Trying) is not the final word; keep waiting for it.
    if (key.status < 200) return;
    pending.settle({ rttMs: this.#clock.elapsedMs() - pending.sentAt, code: key.status });
  }
}
