// The UDP socket under SipUdpCheck, in two engines that give the same results: Node's own dgram
// socket (one JS -> C++ crossing and one system call per datagram each way, always available)
// and the sipmmsg addon (sip-udp-mmsg.ts: a batch per crossing and per system call).
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import type { Clock } from './clock';

export type UdpFamily = 'udp4' | 'udp6';
export type SipUdpEngine = 'node' | 'mmsg';

/**
 * Called for each datagram received: its bytes (valid only during the call: the addon reuses its
 * buffer), when it arrived and when it was read, both on the clock's monotonic scale; null bytes
 * for one too large to read. Node's socket knows only the read time and gives it as both.
 */
export type DatagramSink = (data: Buffer | null, arrivedMs: number, readMs: number) => void;

export interface SipUdpSocket {
  readonly engine: SipUdpEngine;
  readonly port: number;
  /**
   * Sends one datagram. The addon sends at the end of the current task, in one batch with the
   * others: until then `data` must not change (the caller writes into a copy meanwhile).
   */
  send(data: Buffer, port: number, address: string): void;
  /** Reads every datagram already waiting (before deadlines are judged). */
  drain(): void;
  close(): Promise<void>;
}

export interface SocketOptions {
  family: UdpFamily;
  bindAddress: string | undefined;
  clock: Clock;
  onDatagram: DatagramSink;
  /** Whether any probe is waiting for an answer; the addon polls only then. */
  awaiting: () => boolean;
}

/** Kernel receive buffer for the shared socket: a second of answers from a large fleet. */
export const RECEIVE_BUFFER_BYTES = 1 << 20;

export function openNodeSocket(options: SocketOptions): Promise<SipUdpSocket> {
  return new Promise<SipUdpSocket>((resolve, reject) => {
    const s = dgram.createSocket({ type: options.family, recvBufferSize: RECEIVE_BUFFER_BYTES, lookup: addressLookup });
    s.on('message', (data) => {
      const now = options.clock.elapsedMs();
      options.onDatagram(data, now, now);
    });
    // An error on the shared socket must not take the process down; probes time out.
    s.on('error', () => undefined);
    s.once('listening', () =>
      resolve({
        engine: 'node',
        port: s.address().port,
        // No callback: a send error surfaces on the socket, and the probe ends as a loss at its deadline.
        send: (data, port, address) => s.send(data, port, address),
        drain: () => undefined,
        close: () => new Promise<void>((done) => s.close(() => done())),
      }),
    );
    try {
      s.bind({ port: 0, ...(options.bindAddress ? { address: options.bindAddress } : {}) });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/**
 * The socket's resolver: an IP address is its own answer, given at once. The default resolver
 * defers even that to the next tick, a callback per datagram sent; names still go to DNS.
 */
export function addressLookup(
  host: string,
  options: dns.LookupOneOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = net.isIP(host);
  if (family !== 0) callback(null, host, family);
  else dns.lookup(host, options, callback);
}
