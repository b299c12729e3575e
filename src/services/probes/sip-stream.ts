// SIP OPTIONS over TCP and TLS, one connection kept per server and reused by every probe (a SIP
// server sees one client, not a connection storm). The round trip is measured from the write,
// so it is comparable with UDP; a failed connect is a loss. A timeout drops the connection too,
// since a kept connection that stopped answering is usually half-dead.
//
// TLS verifies the certificate by default. A server may instead have a pinned SHA-256
// fingerprint: then a self-signed certificate is accepted if, and only if, it is that one.
import net from 'node:net';
import tls from 'node:tls';
import { matchKey, parseSipMessage } from '../../domain/sip/message';
import { buildOptions } from '../../domain/sip/options';
import { AbortedError, lost, type Check, type ProbeResult, type ProbeTarget } from './check';
import { systemClock, type Clock, type TimerHandle } from './clock';
import { SipStreamFramer } from './sip-framer';

export interface SipStreamOptions {
  clock?: Clock;
  version?: string;
  /** Extra trusted CAs (PEM), on top of the system's. */
  ca?: string[];
}

interface Waiting {
  callId: string;
  cseq: number;
  sentAt: number;
  settle(result: ProbeResult | AbortedError): void;
}

interface Connection {
  key: string;
  socket: net.Socket;
  ready: Promise<string | null>;
  waiting: Map<string, Waiting>;
}

export function normalizeFingerprint(text: string): string {
  return text.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

export class SipStreamCheck implements Check {
  readonly kind: 'sip-tcp' | 'sip-tls';
  readonly #transport: 'tcp' | 'tls';
  readonly #clock: Clock;
  readonly #version: string;
  readonly #ca: string[] | undefined;
  readonly #connections = new Map<string, Connection>();
  #cseq = 0;
  #closed = false;

  constructor(transport: 'tcp' | 'tls', options: SipStreamOptions = {}) {
    this.#transport = transport;
    this.kind = transport === 'tcp' ? 'sip-tcp' : 'sip-tls';
    this.#clock = options.clock ?? systemClock();
    this.#version = options.version ?? 'dev';
    this.#ca = options.ca;
  }

  /** Open connections; one per server at most. */
  get connections(): number {
    return this.#connections.size;
  }

  async check(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
    if (signal.aborted || this.#closed) throw new AbortedError();
    const started = this.#clock.elapsedMs();
    const conn = this.#connection(target);
    const failure = await raceDeadline(conn.ready, target.deadlineMs, this.#clock, signal);
    if (failure instanceof AbortedError) throw failure;
    if (failure !== null) {
      this.#drop(target.serverId, conn);
      return lost(failure);
    }
    const remaining = Math.max(1, target.deadlineMs - (this.#clock.elapsedMs() - started));
    this.#cseq = (this.#cseq % 2_000_000_000) + 1;
    let request;
    try {
      const local = conn.socket.localAddress ?? '127.0.0.1';
      request = buildOptions({
        host: target.host,
        port: target.port,
        transport: this.#transport,
        localHost: local.replace(/^::ffff:/, ''),
        localPort: conn.socket.localPort ?? 1,
        cseq: this.#cseq,
        version: this.#version,
      });
    } catch (error) {
      return lost(error instanceof Error ? error.message : String(error));
    }
    return new Promise<ProbeResult>((resolve, reject) => {
      let timer: TimerHandle | null = null;
      const onAbort = () => waiting.settle(new AbortedError());
      const waiting: Waiting = {
        callId: request.callId,
        cseq: request.cseq,
        sentAt: this.#clock.elapsedMs(),
        settle: (outcome) => {
          if (conn.waiting.get(request.branch) !== waiting) return;
          conn.waiting.delete(request.branch);
          if (timer) this.#clock.clearTimer(timer);
          signal.removeEventListener('abort', onAbort);
          if (outcome instanceof AbortedError) reject(outcome);
          else resolve(outcome);
        },
      };
      conn.waiting.set(request.branch, waiting);
      timer = this.#clock.setTimer(() => {
        waiting.settle(lost('timeout'));
        this.#drop(target.serverId, conn);
      }, remaining);
      signal.addEventListener('abort', onAbort, { once: true });
      conn.socket.write(request.text);
    });
  }

  release(serverId: string): void {
    const conn = this.#connections.get(serverId);
    if (conn) this.#drop(serverId, conn);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#connections.entries()];
    await Promise.all(
      all.map(([id, conn]) => {
        const gone = conn.socket.destroyed ? Promise.resolve() : new Promise<void>((resolve) => conn.socket.once('close', () => resolve()));
        this.#drop(id, conn, new AbortedError());
        return gone;
      }),
    );
  }

  #connection(target: ProbeTarget): Connection {
    const key = `${target.host}|${target.port}|${target.tlsPinSha256 ?? ''}|${target.tlsServername ?? ''}`;
    const existing = this.#connections.get(target.serverId);
    if (existing && existing.key === key && !existing.socket.destroyed) return existing;
    if (existing) this.#drop(target.serverId, existing);
    const conn = this.#open(key, target);
    this.#connections.set(target.serverId, conn);
    return conn;
  }

  #open(key: string, target: ProbeTarget): Connection {
    const host = target.host.replace(/^\[|\]$/g, '');
    const pin = target.tlsPinSha256 ? normalizeFingerprint(target.tlsPinSha256) : null;
    const servername = target.tlsServername ?? (net.isIP(host) === 0 ? host : undefined);
    const socket =
      this.#transport === 'tcp'
        ? net.connect({ host, port: target.port })
        : tls.connect({
            host,
            port: target.port,
            ...(servername ? { servername } : {}),
            ...(this.#ca ? { ca: this.#ca } : {}),
            rejectUnauthorized: pin === null,
          });
    socket.setNoDelay(true);
    const waiting = new Map<string, Waiting>();
    const conn: Connection = { key, socket, waiting, ready: Promise.resolve(null) };
    conn.ready = new Promise<string | null>((resolve) => {
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(describe(error)));
      socket.once('close', () => resolve('connection closed'));
      socket.once(this.#transport === 'tcp' ? 'connect' : 'secureConnect', () => {
        if (socket instanceof tls.TLSSocket && pin !== null && !socket.authorized) {
          const seen = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
          if (seen !== pin) {
            socket.destroy();
            return resolve('certificate does not match the pinned fingerprint');
          }
        }
        resolve(null);
      });
    });
    const framer = new SipStreamFramer();
    socket.on('data', (chunk: Buffer) => {
      const framed = framer.push(chunk);
      for (const bytes of framed.messages) this.#onMessage(conn, bytes);
      if (framed.error) this.#drop(target.serverId, conn);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      for (const w of [...waiting.values()]) w.settle(lost('connection closed'));
      if (this.#connections.get(target.serverId) === conn) this.#connections.delete(target.serverId);
    });
    return conn;
  }

  #onMessage(conn: Connection, bytes: Uint8Array): void {
    const parsed = parseSipMessage(bytes);
    if (!parsed.ok || parsed.message.kind !== 'response') return;
    const key = matchKey(parsed.message);
    const waiting = key.branch === null ? undefined : conn.waiting.get(key.branch);
    if (
      !waiting ||
      key.callId !== waiting.callId ||
      key.cseqMethod !== 'OPTIONS' ||
      key.cseq !== waiting.cseq ||
      key.status === null ||
      key.status < 200
    )
      return;
    waiting.settle({ rttMs: this.#clock.elapsedMs() - waiting.sentAt, code: key.status });
  }

  #drop(serverId: string, conn: Connection, reason: ProbeResult | AbortedError = lost('connection closed')): void {
    if (this.#connections.get(serverId) === conn) this.#connections.delete(serverId);
    for (const w of [...conn.waiting.values()]) w.settle(reason);
    conn.socket.destroy();
  }
}

function describe(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(code)) return `certificate not trusted (${code})`;
  return code || error.message;
}

/** The connection outcome, or 'timeout' when the deadline comes first. */
function raceDeadline(ready: Promise<string | null>, ms: number, clock: Clock, signal: AbortSignal): Promise<string | null | AbortedError> {
  return new Promise((resolve) => {
    const timer = clock.setTimer(() => finish('timeout'), ms);
    const onAbort = () => finish(new AbortedError());
    function finish(value: string | null | AbortedError) {
      clock.clearTimer(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    }
    signal.addEventListener('abort', onAbort, { once: true });
    void ready.then(finish);
  });
}
