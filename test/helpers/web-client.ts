import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../src/host/web/server';
import { createFakeHost, type FakeHost } from './fake-host';

// Plain HTTP and WebSocket clients that send exactly what a test says (Host, Origin, raw paths),
// which fetch and browsers would not, plus a web host over a throwaway renderer folder.

export const SECRET = 'SWITCHYARD-TEST-SECRET-OUTSIDE-STATIC';
export const INDEX_MARK = 'SWITCHYARD-TEST-INDEX';

export interface Fixture {
  host: WebHost;
  app: FakeHost;
  dir: string;
  staticDir: string;
  logged: string[];
  close(): Promise<void>;
}

export async function startFixture(options: { readOnly?: boolean } = {}): Promise<Fixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchyard-web-'));
  const staticDir = path.join(dir, 'static');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(dir, 'secret.txt'), SECRET);
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: SECRET }));
  await writeFile(path.join(staticDir, 'index.html'), `<!doctype html><title>Switchyard</title>${INDEX_MARK}`);
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log("switchyard");');
  await writeFile(path.join(staticDir, 'assets', 'app.css'), 'body { color: black; }');
  await writeFile(path.join(staticDir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(staticDir, '.env'), SECRET);
  await symlink(path.join(dir, 'secret.txt'), path.join(staticDir, 'leak.txt'));
  const app = createFakeHost(options);
  const logged: string[] = [];
  const host = await startWebHost({ app, staticDir, log: (line) => logged.push(line) });
  return {
    host,
    app,
    dir,
    staticDir,
    logged,
    async close() {
      await host.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
}

/** One request on its own connection; Host defaults to the host's own address. */
export function send(port: number, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Bytes exactly as given (a NUL in the path, odd spacing), for what http.request refuses to send. */
export function sendRaw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.end(text);
  });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function call(port: number, token: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(port, {
    method: 'POST',
    path: '/api/call',
    headers: { 'content-type': 'application/json', ...bearer(token), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export type SocketOutcome = { opened: WebSocket } | { refused: number };

/** Opens the events socket with the given headers (and subprotocols, as a browser page offers them); resolves with the socket or the refusal status. */
export function openEvents(
  port: number,
  headers: Record<string, string>,
  pathName = '/api/events',
  protocols: string[] = [],
): Promise<SocketOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${pathName}`, protocols, { headers: { host: `127.0.0.1:${port}`, ...headers } });
    socket.once('open', () => resolve({ opened: socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      res.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** Resolves with the next message's parsed JSON. */
export function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8')))));
}

/** Resolves when the socket closes, with the close code. */
export function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (socket.readyState === socket.CLOSED) return resolve(-1);
    socket.once('close', (code: number) => resolve(code));
  });
}
