import { createServer as createHttpServer, type RequestListener, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { TeamConfig } from './team-config';

// The team host's socket. With TLS, one port serves both: the first byte of a connection says
// which it is (22, a TLS handshake record, or the first letter of an HTTP method). A browser or
// curl that was given http:// by mistake gets a 400 that says to use https:// instead of a
// connection that hangs while the TLS server waits for a ClientHello that never comes.

export interface TeamListener {
  /** The HTTP(S) server: `request` and `upgrade` events as from node:http. */
  readonly server: HttpServer;
  readonly address: AddressInfo;
  close(): Promise<void>;
}

const TLS_HANDSHAKE = 0x16;
/** A connection that says nothing is closed rather than held (slowloris). */
const FIRST_BYTE_MS = 10_000;

export async function listenTeam(config: TeamConfig, onRequest: RequestListener): Promise<TeamListener> {
  const server: HttpServer =
    config.tls === null
      ? createHttpServer(onRequest)
      : // https.Server is an http.Server for every event and method used here.
        (createHttpsServer({ cert: config.tls.cert, key: config.tls.key, minVersion: 'TLSv1.2' }, onRequest) as unknown as HttpServer);
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  const front: NetServer | HttpServer =
    config.tls === null ? server : createNetServer((socket) => sniff(socket, server, config, () => address.port));
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen({ host: config.host, port: config.port, exclusive: true }, () => {
      front.off('error', reject);
      resolve();
    });
  });
  const address = front.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    server,
    address,
    close() {
      closing ??= new Promise<void>((resolve) => {
        front.close(() => resolve());
        if (front !== server) server.close();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function sniff(socket: Socket, tlsServer: HttpServer, config: TeamConfig, port: () => number): void {
  socket.on('error', () => socket.destroy());
  socket.setTimeout(FIRST_BYTE_MS, () => socket.destroy());
  // The first chunk is put back before the chosen server reads the socket (as httpolyglot does).
  socket.once('data', (chunk: Buffer) => {
    socket.pause();
    socket.setTimeout(0);
    socket.unshift(chunk);
    if (chunk[0] !== TLS_HANDSHAKE) return refusePlainHttp(socket, config, port());
    tlsServer.emit('connection', socket);
    process.nextTick(() => socket.resume());
  });
}

function refusePlainHttp(socket: Socket, config: TeamConfig, port: number): void {
  const name = config.names[0] ?? config.host;
  const text =
    `This Switchyard host speaks HTTPS only on this port: open https://${name.includes(':') ? `[${name}]` : name}:${port}/ instead of http://.\n` +
    '(Passwords and session cookies never cross the network in clear.)\n';
  // The request is read and dropped, so closing does not reset the connection before the answer is read.
  socket.resume();
  socket.setTimeout(FIRST_BYTE_MS, () => socket.destroy());
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
      `Connection: close\r\n\r\n${text}`,
  );
}
