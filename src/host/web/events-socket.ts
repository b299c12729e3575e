import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SamplesPush } from '../../contract/monitoring-methods';
import { packSamplesPush, SAMPLES_WIRE } from '../../contract/samples-wire';
import { SHOWN_MESSAGE, SHOWN_MIN_GAP_MS } from '../../contract/events-shown';
import type { EventBus } from '../event-bus';
import { EVENTS_PROTOCOL, gate, type Gate } from './auth';

// Pushed events over one WebSocket per page. The handshake is ours (`noServer`), so the Host,
// Origin and token checks run before a single WebSocket byte is exchanged.

export const EVENTS_PATH = '/api/events';

/** The page only ever says "shown" on this socket (heeded apart); anything past a few bytes is misuse. */
const MAX_CLIENT_BYTES = 1024;
/** A client that stops reading is dropped rather than buffered for without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface EventsSocket {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export interface EventsSocketOptions {
  events: EventBus;
  token: string;
  port: () => number;
  /** A team host judges the handshake by its session cookie instead of the token (team-server.ts). */
  authorize?: (req: IncomingMessage) => Gate;
  /** Told of every accepted socket, so a team host can close it when its session ends. */
  onOpen?: (client: WebSocket, req: IncomingMessage) => void;
  /** Told when a socket's page says it is still shown (a team host keeps a wall's session alive). */
  onShown?: (client: WebSocket) => void;
}

/** The samples push travels packed (samples-wire.ts); every other event as the contract has it. */
function wireMessage(event: string, payload: unknown): object {
  if (event === 'monitoring:samples') return { event, wire: SAMPLES_WIRE, payload: packSamplesPush(payload as SamplesPush) };
  return { event, payload };
}

export function createEventsSocket(options: EventsSocketOptions): EventsSocket {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_BYTES,
    clientTracking: true,
    // A page offers `switchyard.events` and its token as a second subprotocol: the host answers
    // with the first only, so the token is never echoed back. Clients offering none (a Bearer
    // header instead) are asked nothing.
    handleProtocols: (offered) => (offered.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
  });

  const unsubscribe = options.events.on(
    (event, payload) => {
      // Encoded once: a string would be turned into bytes again for every client (100 team clients
      // × a 300 KB samples push each second), a Buffer is written to each as it is.
      const frame = Buffer.from(JSON.stringify(wireMessage(event, payload)), 'utf8');
      for (const client of wss.clients) {
        if (client.readyState !== client.OPEN) continue;
        if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
          client.terminate();
          continue;
        }
        client.send(frame, { binary: false });
      }
    },
    () => wss.clients.size > 0,
  );

  function accept(client: WebSocket): void {
    let received = 0;
    let shownAt = -Infinity;
    // Protocol errors (a bad frame, an oversized message) are reported here; ws then closes.
    client.on('error', () => client.terminate());
    client.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      // A visible page's "still shown" (events-shown.ts) costs nothing from the budget, at most one
      // per SHOWN_MIN_GAP_MS; any more, and anything else, is counted against it.
      if (!isBinary && bytes.length === SHOWN_MESSAGE.length && bytes.toString('latin1') === SHOWN_MESSAGE) {
        const at = performance.now();
        if (at - shownAt >= SHOWN_MIN_GAP_MS) {
          shownAt = at;
          options.onShown?.(client);
          return;
        }
      }
      received += bytes.length;
      if (received > MAX_CLIENT_BYTES) client.close(1008, 'This socket only carries events from the host.');
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      const path = (req.url ?? '').split('?')[0];
      const port = options.port();
      if (path !== EVENTS_PATH) return refuse(socket, 404, 'Not Found');
      const verdict = options.authorize?.(req) ?? gate(req.headers, options.token, port);
      if (verdict === 'forbidden') return refuse(socket, 403, 'Forbidden');
      if (verdict === 'unauthorized') return refuse(socket, 401, 'Unauthorized');
      wss.handleUpgrade(req, socket, head, (client) => {
        accept(client);
        options.onOpen?.(client, req);
      });
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
