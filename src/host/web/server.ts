import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { AppInfo } from '../../contract/app';
import type { Dispatch } from '../dispatch';
import type { EventBus } from '../event-bus';
import { handleCall, CALL_PATH, BODY_BUDGET_BYTES } from './api';
import { createBodyBudget, type BodyBudget } from './body-budget';
import { assertTokenShape, hasValidCredential, hostAllowed, newToken, originAllowed, tokenMatches } from './auth';
import {
  clearTicketCookie,
  createPageTickets,
  handleSession,
  PAGE_TICKET,
  SESSION_PATH,
  SESSION_TICKET,
  spendTicket,
  type PageTickets,
} from './page-session';
import { createEventsSocket, EVENTS_PATH } from './events-socket';
import {
  FORBIDDEN_TEXT,
  sendBody,
  sendError,
  sendJson,
  sendPage,
  setSecurityHeaders,
  UNAUTHORIZED_MESSAGE,
  UNAUTHORIZED_TEXT,
} from './responses';
import { handleSnapshotUpload, SNAPSHOT_UPLOAD_PATH, type SnapshotUploads } from './snapshot-upload';
import { decodePath, openStaticFiles, type StaticFiles } from './static-files';
import { preloadAssets, serveStatic } from './static-serve';
import { EXPOSITION_CONTENT_TYPE } from '../../services/metrics/exposition';

// The loopback web host: the built renderer and the contract over HTTP + WebSocket, for a plain
// browser (a NOC wall display, end-to-end tests). Bound to 127.0.0.1 only; every request must
// pass the Host/Origin checks, and everything but the renderer's own files must carry the token
// as a Bearer header (page-session.ts: how the page gets it without a cookie credential).

/** What the web host needs of the composition root (structurally `Pick<HostApp, …>`). */
export interface WebHostApp {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  info(): AppInfo;
}

export interface WebHostOptions {
  app: WebHostApp;
  /** 0 or absent: any free port. */
  port?: number;
  /** The built renderer: index.html and its assets. */
  staticDir: string;
  /** Absent: 32 random bytes, hex. */
  token?: string;
  /** Where unexpected failures are reported. */
  log?: (message: string) => void;
  /** Where a browser's snapshot uploads go; absent: uploads are refused. */
  snapshotUploads?: SnapshotUploads;
  /** Request bodies held in memory at once, in bytes (default: four of the largest call). */
  bodyBudgetBytes?: number;
  /** The Prometheus exposition served at GET /metrics (`serve --metrics`); absent: /metrics is a 404. */
  metrics?: () => string;
  /**
   * Whether the page opened from the printed URL carries its first screen's answers (default
   * true); false serves it as built, for the first-paint benchmark's "without" side.
   */
  firstScreen?: boolean;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/?token=TOKEN`, the URL to print for the user. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** The listener's own address, as the operating system reports it. */
  readonly address: AddressInfo;
  close(): Promise<void>;
}

export const HEALTH_PATH = '/api/health';
export const METRICS_PATH = '/metrics';

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  assertTokenShape(token);
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const files = openStaticFiles(options.staticDir);
  let port = 0;
  const events = createEventsSocket({ events: options.app.events, token, port: () => port });
  const tickets = createPageTickets(Date.now, SESSION_TICKET);
  const pageTickets = options.firstScreen === false ? null : createPageTickets(Date.now, PAGE_TICKET);
  const bodies = createBodyBudget(options.bodyBudgetBytes ?? BODY_BUDGET_BYTES);

  const server = createServer((req, res) => {
    route(req, res, {
      port,
      token,
      files,
      tickets,
      pageTickets,
      bodies,
      dispatch: options.app.dispatch,
      uploads: options.snapshotUploads ?? null,
      metrics: options.metrics ?? null,
    }).catch((error: unknown) => {
      // A client that hung up mid-request is not a host failure worth a log line.
      if (req.destroyed && !req.complete) return void res.destroy();
      log(`[switchyard] web host: ${req.method ?? '?'} failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendPage(res, 500, 'Internal error', 'The Switchyard host failed on this request; see its log.');
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => events.handleUpgrade(req, socket, head));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  port = address.port;
  // In the background: the host answers from the first moment; the files are in memory soon after.
  void preloadAssets(files);

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    address,
    close() {
      closing ??= new Promise<void>((resolve) => {
        events.close();
        server.close(() => resolve());
        // Keep-alive connections would otherwise hold close() open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

interface RouteContext {
  port: number;
  token: string;
  files: StaticFiles;
  tickets: PageTickets;
  /** Single-use leave for the page request after the redirect to carry the first screen's answers; null: never. */
  pageTickets: PageTickets | null;
  bodies: BodyBudget;
  dispatch: Dispatch;
  uploads: SnapshotUploads | null;
  metrics: (() => string) | null;
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  setSecurityHeaders(res, ctx.port);
  const target = splitTarget(req.url ?? '');
  if (target === null) return sendPage(res, 400, 'Bad request', 'Malformed request path.');
  const isApi = target.path === '/api' || target.path.startsWith('/api/');
  // Guarded exactly like /api (never the static files' SPA fallback, whose 200 page a scraper would misread).
  const isMetrics = target.path === METRICS_PATH;
  const head = req.method === 'HEAD';

  if (!hostAllowed(req.headers, ctx.port) || !originAllowed(req.headers, ctx.port)) {
    if (isApi) return sendError(res, 403, { code: 'unauthorized', message: FORBIDDEN_TEXT });
    if (isMetrics) return sendBody(res, 403, PLAIN_TEXT, `${FORBIDDEN_TEXT}\n`);
    return sendPage(res, 403, 'Forbidden', FORBIDDEN_TEXT, head);
  }

  // The printed URL: trade the token for a single-use ticket the page spends at /api/session,
  // and drop the token from the address bar and history.
  if (!isApi && !isMetrics && target.query.has('token')) {
    if (!tokenMatches(target.query.get('token') ?? undefined, ctx.token)) return unauthorized(res, false, head);
    target.query.delete('token');
    const rest = target.query.toString();
    // `//evil.example/` would be a protocol-relative redirect off this host.
    const path = target.path.startsWith('//') || decodePath(target.path) === null ? '/' : target.path;
    const page = ctx.pageTickets?.issue(ctx.port).cookie;
    res.setHeader('Set-Cookie', page === undefined ? [ctx.tickets.issue(ctx.port).cookie] : [ctx.tickets.issue(ctx.port).cookie, page]);
    res.setHeader('Location', rest === '' ? path : `${path}?${rest}`);
    res.setHeader('Cache-Control', 'no-store');
    return sendBody(res, 303, 'text/plain; charset=utf-8', 'Signed in.\n', head);
  }

  if (target.path === SESSION_PATH) return handleSession(req, res, ctx.tickets, ctx.token, ctx.port);
  // The renderer's files hold no data and no secret; the page fetches the token itself, so they
  // are served to any client that passed the Host/Origin checks (a reload needs no credential).
  // Only the page request that follows the printed URL's redirect, holding the page ticket it
  // left, gets the first screen's answers in the page (first-screen.ts), from the same dispatch
  // as the token's calls; assets never spend the ticket.
  if (!isApi && !isMetrics) {
    const page = !head && req.method === 'GET' && !/\.[^/]*$/.test(target.path) && req.headers.cookie !== undefined;
    const spent = page && ctx.pageTickets !== null && spendTicket(req.headers, ctx.pageTickets, PAGE_TICKET, ctx.port);
    const answers = spent ? ctx.dispatch : null;
    if (answers !== null) res.setHeader('Set-Cookie', clearTicketCookie(PAGE_TICKET, ctx.port));
    return serveStatic(req, res, ctx.files, target.path, head, answers);
  }

  if (!hasValidCredential(req.headers, ctx.token)) {
    if (!isMetrics) return unauthorized(res, isApi, head);
    res.setHeader('WWW-Authenticate', 'Bearer realm="switchyard"');
    return sendBody(res, 401, PLAIN_TEXT, `${METRICS_UNAUTHORIZED_TEXT}\n`);
  }
  if (isMetrics) return serveMetrics(req, res, ctx.metrics);

  if (isApi) {
    if (target.path === CALL_PATH) return handleCall(req, res, ctx.dispatch, ctx.bodies);
    if (target.path === SNAPSHOT_UPLOAD_PATH && ctx.uploads !== null) return handleSnapshotUpload(req, res, ctx.uploads, ctx.dispatch);
    if (target.path === HEALTH_PATH && req.method === 'GET') return sendJson(res, 200, { ok: true });
    if (target.path === EVENTS_PATH) {
      return sendError(res, 426, { code: 'invalid-input', message: `${EVENTS_PATH} is a WebSocket.` });
    }
  }
  return sendError(res, 404, { code: 'not-found', message: `No ${req.method ?? ''} ${target.path} on the Switchyard host.` });
}

const PLAIN_TEXT = 'text/plain; charset=utf-8';
const METRICS_UNAUTHORIZED_TEXT =
  'Metrics need the host token: send `Authorization: Bearer TOKEN` (Prometheus: `authorization: { credentials_file: FILE }` with `serve --token-file FILE`).';

/** A thousand servers make about 12 MB of exposition; Prometheus asks for gzip, which takes it to a few hundred KB. */
const gzipped = promisify(gzip);

export async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: (() => string) | null): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  if (metrics === null)
    return sendBody(res, 404, PLAIN_TEXT, 'Metrics are off on this host: start it with `switchyard serve --metrics`.\n');
  // A scrape is a GET; HEAD would render the whole exposition for nothing.
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    return sendBody(res, 405, PLAIN_TEXT, 'Only GET is served at /metrics.\n');
  }
  const text = metrics();
  res.setHeader('Vary', 'Accept-Encoding');
  if (!/\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''))) return sendBody(res, 200, EXPOSITION_CONTENT_TYPE, text);
  // Compressed on libuv's thread pool: the probes' event loop keeps its timing meanwhile.
  const body = await gzipped(Buffer.from(text, 'utf8'), { level: 1 });
  res.setHeader('Content-Encoding', 'gzip');
  return sendBody(res, 200, EXPOSITION_CONTENT_TYPE, body);
}

function unauthorized(res: ServerResponse, isApi: boolean, head: boolean): void {
  res.setHeader('WWW-Authenticate', 'Bearer realm="switchyard"');
  if (isApi) return sendError(res, 401, { code: 'unauthorized', message: UNAUTHORIZED_MESSAGE });
  return sendPage(res, 401, 'Token needed', UNAUTHORIZED_TEXT, head);
}

/** Split by hand, not with `new URL`, which would fold `..` and `%2e%2e` before the path check. */
function splitTarget(raw: string): { path: string; query: URLSearchParams } | null {
  if (!raw.startsWith('/')) return null;
  const mark = raw.indexOf('?');
  const path = mark === -1 ? raw : raw.slice(0, mark);
  return { path, query: new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1)) };
}
