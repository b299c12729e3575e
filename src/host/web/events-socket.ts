import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../event-bus';
import { EVENTS_PROTOCOL, gate } from './auth';

// Pushed events over one WebSocket per page. The handshake is ours (`noServer`), so the Host,
// Origin and token checks run before a single WebSocket byte is exchanged.

export const EVENTS_PATH = '/api/events';

/** The page never needs to talk on this socket; anything past a few bytes is misuse. */
const MAX_CLIENT_BYTES = 1024;
/** A client that stops reading is dropped rather than buffered for without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface EventsSocket {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createEventsSocket(options: { events: EventBus; token: string; port: () => number }): EventsSocket {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_BYTES,
    clientTracking: true,
    // A page offers `switchyard.events` and its token as a second subprotocol: the host answers
    // with the first only, so the token is never echoed back. Clients offering none (a Bearer
    // header instead) are asked nothing.
    handleProtocols: (offered) => (offered.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
  });

  const unsubscribe = options.events.on((event, payload) => {
    if (wss.clients.size === 0) return;
    const frame = JSON.stringify({ event, payload });
    for (const client of wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
        client.terminate();
        continue;
      }
      client.send(frame);
    }
  });

  function accept(client: WebSocket): void {
    let received = 0;
    // Protocol errors (a bad frame, an oversized message) are reported here; ws then closes.
    client.on('error', () => client.terminate());
    client.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      received += Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
      if (received > MAX_CLIENT_BYTES) client.close(1008, 'This socket only carries events from the host.');
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      const path = (req.url ?? '').split('?')[0];
      const port = options.port();
      if (path !== EVENTS_PATH) return refuse(socket, 404, 'Not Found');
      const verdict = gate(req.headers, options.token, port);
      if (verdict === 'forbidden') return refuse(socket, 403, 'Forbidden');
      if (verdict === 'unauthorized') return refuse(socket, 401, 'Unauthorized');
      wss.handleUpgrade(req, socket, head, (client) => accept(client));
    },
    close() {
      unsubscribe();
      for (const client of wss.clients) client.close(1001, 'The Switchyard host is shutting down.');
      // Clients that do not answer the close handshake promptly are cut off.
      setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, 1000).unref();
      wss.close();
    },
  };
}

function refuse(socket: Duplex, status: number, text: string): void {
  // Destroyed once the refusal is flushed, so the client reads the status rather than a reset.
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
