// The demo's SIP servers: one small responder on loopback that answers OPTIONS (and any other
// request) on each demo address, over UDP, TCP and TLS on the ports the server's config names, so
// the real probes see a living fleet. Each address answers as its behaviour says (demo-behaviour.ts).
// Datagrams that are not SIP requests are ignored and counted, as a real server drops them.
// An address:port someone else holds (a kamailio under test, say) is skipped and reported, not fatal.
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { SipStreamFramer } from '../probes/sip-framer';
import { replyOf, type DemoBehaviour } from './demo-behaviour';
import { sipAnswer } from './sip-answer';

export interface DemoTarget {
  address: string;
  udpPort: number;
  /** Plain SIP over TCP; null when the server has none (its TCP port is its TLS port). */
  tcpPort: number | null;
  /** SIP over TLS; null for none. */
  tlsPort: number | null;
  behaviour: DemoBehaviour;
}

export interface DemoResponderOptions {
  targets: readonly DemoTarget[];
  /** Certificate and key (PEM) for the TLS listeners; without them no TLS port is opened. */
  tls?: { cert: string; key: string };
  /** Monotonic milliseconds (tests step it to flip a flapping server). */
  now?: () => number;
  random?: () => number;
}

export interface DemoStats {
  answered: number;
  /** Requests a silent or flapping server swallowed on purpose. */
  unanswered: number;
  /** Datagrams and stream messages that were not SIP requests: ignored. */
  malformed: number;
}

export interface DemoResponder {
  /** `udp 127.0.10.1:5060` for each listener that is up. */
  readonly listening: readonly string[];
  /** Listeners that could not open, with why (`udp 127.0.10.11:5060: EADDRINUSE`). */
  readonly skipped: readonly string[];
  stats(): DemoStats;
  close(): Promise<void>;
}

type Send = (text: string) => void;

export async function startDemoResponder(options: DemoResponderOptions): Promise<DemoResponder> {
  const now = options.now ?? (() => performance.now());
  const random = options.random ?? Math.random;
  const started = now();
  const stats: DemoStats = { answered: 0, unanswered: 0, malformed: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const closers: (() => Promise<void>)[] = [];
  const sockets = new Set<net.Socket>();
  const listening: string[] = [];
  const skipped: string[] = [];

  const handle = (behaviour: DemoBehaviour, bytes: Uint8Array, send: Send) => {
    const reply = replyOf(behaviour, now() - started, random());
    const answer = sipAnswer(bytes, reply?.code ?? 200);
    if (!answer.ok) {
      stats.malformed += 1;
      return;
    }
    if (reply === null) {
      stats.unanswered += 1;
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      stats.answered += 1;
      send(answer.text);
    }, reply.delayMs);
    timers.add(timer);
  };

  const udp = (t: DemoTarget) =>
    new Promise<void>((resolve) => {
      const socket = dgram.createSocket({ type: net.isIPv6(t.address) ? 'udp6' : 'udp4' });
      const name = `udp ${t.address}:${t.udpPort}`;
      socket.once('error', (error: NodeJS.ErrnoException) => {
        skipped.push(`${name}: ${error.code ?? error.message}`);
        socket.close();
        resolve();
      });
      socket.bind({ address: t.address, port: t.udpPort, exclusive: true }, () => {
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        socket.on('message', (msg, rinfo) => handle(t.behaviour, msg, (text) => socket.send(text, rinfo.port, rinfo.address)));
        listening.push(name);
        closers.push(() => new Promise((done) => socket.close(() => done())));
        resolve();
      });
    });

  const onStream = (t: DemoTarget) => (socket: net.Socket) => {
    sockets.add(socket);
    const framer = new SipStreamFramer();
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      const { messages, error } = framer.push(chunk);
      for (const m of messages) handle(t.behaviour, m, (text) => (socket.writable ? socket.write(text) : undefined));
      if (error !== undefined) {
        stats.malformed += 1;
        socket.destroy();
      }
    });
  };

  const stream = (t: DemoTarget, kind: 'tcp' | 'tls', port: number) =>
    new Promise<void>((resolve) => {
      const server =
        kind === 'tls' && options.tls
          ? tls.createServer({ cert: options.tls.cert, key: options.tls.key }, onStream(t))
          : net.createServer(onStream(t));
      const name = `${kind} ${t.address}:${port}`;
      server.once('error', (error: NodeJS.ErrnoException) => {
        skipped.push(`${name}: ${error.code ?? error.message}`);
        resolve();
      });
      // A failed TLS handshake (a TCP connect probe that hangs up at once) is no concern of ours.
      server.on('tlsClientError', () => undefined);
      server.listen({ host: t.address, port, exclusive: true }, () => {
        server.removeAllListeners('error');
        server.on('error', () => undefined);
        listening.push(name);
        closers.push(() => new Promise((done) => server.close(() => done())));
        resolve();
      });
    });

  const opening: Promise<void>[] = [];
  for (const t of options.targets) {
    opening.push(udp(t));
    // A server gone silent has no listener at all: its TCP port refuses, as a dead daemon's would.
    if (t.behaviour === 'silent') continue;
    if (t.tcpPort !== null) opening.push(stream(t, 'tcp', t.tcpPort));
    if (t.tlsPort !== null && options.tls && t.tlsPort !== t.tcpPort) opening.push(stream(t, 'tls', t.tlsPort));
  }
  await Promise.all(opening);

  return {
    listening,
    skipped,
    stats: () => ({ ...stats }),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await Promise.all(closers.map((close) => close()));
    },
  };
}
