import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import type { AccountsDirectory } from '../../services/accounts/accounts-types';
import type { AuditLog } from '../../services/audit/audit-types';
import type { Caller } from '../caller';
import type { Dispatch } from '../dispatch';
import { BODY_BUDGET_BYTES, CALL_PATH, handleCall } from './api';
import { hasValidCredential, newToken, type Gate } from './auth';
import { createBodyBudget, type BodyBudget } from './body-budget';
import { createEventsSocket, EVENTS_PATH } from './events-socket';
import { sendBody, sendError, sendJson, sendPage } from './responses';
import { HEALTH_PATH, METRICS_PATH, serveMetrics, type WebHostApp } from './server';
import { handleSnapshotUpload, SNAPSHOT_UPLOAD_PATH, type SnapshotUploads } from './snapshot-upload';
import { openStaticFiles, type StaticFiles } from './static-files';
import { preloadAssets, serveStatic } from './static-serve';
import { TeamConfigError, type TeamConfig } from './team-config';
import { hostAllowed, originAllowed, viewOf, type RequestView } from './team-gate';
import { listenTeam } from './team-listener';
import { createTeamSessions, sessionCookieOf, sessionRefusal, type TeamSessions } from './team-sessions';
import { createSignInRoutes, TEAM_PATHS } from './team-sign-in';
import { SIGN_IN_SCRIPT, SIGN_IN_SCRIPT_PATH, signInPage } from './team-sign-in-page';
import { createSignInThrottle } from './team-throttle';

// The team host: the same console and contract as the loopback host, served to other machines.
// What differs is who may ask: instead of one printed token, a signed-in account's session
// cookie, and every call runs in dispatch as that account (its role checked there, its name in
// the audit log). The renderer's files hold no data and are served to anyone who passed the Host
// check; any other page, call and the event socket need a live session.

export interface TeamHostOptions {
  app: WebHostApp;
  config: TeamConfig;
  accounts: AccountsDirectory;
  audit: AuditLog;
  staticDir: string;
  log?: (message: string) => void;
  now?: () => number;
  snapshotUploads?: SnapshotUploads;
  /** GET /metrics for Prometheus, guarded by this bearer token (`serve --metrics --token-file`). */
  metrics?: { render: () => string; token: string };
  bodyBudgetBytes?: number;
}

export interface TeamHost {
  /** `https://NAME:PORT/`, the URL to print. */
  readonly url: string;
  readonly address: AddressInfo;
  readonly sessions: TeamSessions;
  close(): Promise<void>;
}

/** Open event sockets are checked this often, so an expired or disabled session stops hearing events. */
const SOCKET_SWEEP_MS = 15_000;

export async function startTeamHost(options: TeamHostOptions): Promise<TeamHost> {
  if (options.accounts.activeCount() === 0) {
    throw new TeamConfigError(
      'Team mode needs at least one active account, or nobody could sign in: make one on this machine with ' +
        '`switchyard user add NAME --role admin`.',
    );
  }
  const { config, accounts, audit } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const files = openStaticFiles(options.staticDir);
  const sessions = createTeamSessions(accounts, now);
  const sockets = new Map<WebSocket, string>();
  // Sign-out ends the session first, so one sweep closes exactly the sockets whose session is over.
  const dropSockets = () => {
    for (const [client, cookie] of sockets) {
      if (!sessions.check(cookie, false).ok) client.close(1008, 'The session on this Switchyard host ended: sign in again.');
    }
  };
  const signIn = createSignInRoutes({ accounts, sessions, throttle: createSignInThrottle(now), audit, now, dropSockets });
  const bodies = createBodyBudget(options.bodyBudgetBytes ?? BODY_BUDGET_BYTES);

  const refuse = (view: RequestView, what: string) => {
    log(`[switchyard] team host refused ${view.address}: ${what}`);
    audit.record({ kind: 'refused', account: '-', address: view.address, detail: what });
  };
  const events = createEventsSocket({
    events: options.app.events,
    token: newToken(),
    port: () => listener.address.port,
    authorize: (req): Gate => {
      const view = viewOf(req, config);
      if (!hostAllowed(view, config.names)) {
        refuse(view, `event socket for the name "${view.host}"`);
        return 'forbidden';
      }
      if (!originAllowed(req, view, config.names)) {
        refuse(view, `event socket from ${req.headers.origin ?? 'another site'}`);
        return 'forbidden';
      }
      return sessions.check(sessionCookieOf(req.headers.cookie), false).ok ? 'pass' : 'unauthorized';
    },
    onOpen: (client, req) => {
      const cookie = sessionCookieOf(req.headers.cookie) ?? '';
      sockets.set(client, cookie);
      client.once('close', () => sockets.delete(client));
    },
    // A wall display's page on show keeps its viewer session alive (team-sessions.ts says who).
    onShown: (client) => {
      const cookie = sockets.get(client);
      if (cookie !== undefined) sessions.shown(cookie);
    },
  });
  const sweep = setInterval(dropSockets, SOCKET_SWEEP_MS);
  sweep.unref();

  const ctx: Context = { options, files, sessions, bodies, signIn, refuse, now };
  const listener = await listenTeam(config, (req, res) => {
    route(req, res, ctx).catch((error: unknown) => {
      if (req.destroyed && !req.complete) return void res.destroy();
      log(`[switchyard] team host: ${req.method ?? '?'} failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) sendPage(res, 500, 'Internal error', 'The Switchyard host failed on this request; see its log.');
      else res.destroy();
    });
  });
  listener.server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => events.handleUpgrade(req, socket, head));
  void preloadAssets(files);

  const first = config.names[0] ?? config.host;
  const shown = first.includes(':') ? `[${first}]` : first;
  return {
    url: `${config.tls === null ? 'http' : 'https'}://${shown}:${listener.address.port}/`,
    address: listener.address,
    sessions,
    async close() {
      clearInterval(sweep);
      events.close();
      await listener.close();
    },
  };
}

interface Context {
  options: TeamHostOptions;
  files: StaticFiles;
  sessions: TeamSessions;
  bodies: BodyBudget;
  signIn: ReturnType<typeof createSignInRoutes>;
  refuse: (view: RequestView, what: string) => void;
  now: () => number;
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  const { config } = ctx.options;
  const view = viewOf(req, config);
  setTeamSecurityHeaders(res, req, config);
  const raw = req.url ?? '';
  if (!raw.startsWith('/')) return sendPage(res, 400, 'Bad request', 'Malformed request path.');
  const path = raw.split('?')[0] ?? '/';
  const head = req.method === 'HEAD';
  const isApi = path === '/api' || path.startsWith('/api/');

  if (!hostAllowed(view, config.names)) {
    ctx.refuse(view, `request for the name "${view.host || '(none)'}" (${req.method ?? '?'} ${path.slice(0, 200)})`);
    const text = `This Switchyard host does not answer to the name "${view.host || '(none)'}": use the address your admin gave you.`;
    return isApi
      ? sendError(res, 421, { code: 'unauthorized', message: text })
      : sendBody(res, 421, 'text/plain; charset=utf-8', `${text}\n`);
  }
  if ((isApi || req.method !== 'GET') && !head && !originAllowed(req, view, config.names)) {
    ctx.refuse(view, `${req.method ?? '?'} ${path.slice(0, 200)} from ${req.headers.origin ?? 'another site'}`);
    return sendError(res, 403, {
      code: 'unauthorized',
      message: 'Refused: this request came from a page of another site. Switchyard takes calls only from its own pages.',
    });
  }

  if (path === SIGN_IN_SCRIPT_PATH) return sendBody(res, 200, 'text/javascript; charset=utf-8', SIGN_IN_SCRIPT, head);
  if (TEAM_PATHS.has(path)) return ctx.signIn.handle(req, res, path, view);
  if (path === METRICS_PATH) return metrics(req, res, ctx);

  const check = ctx.sessions.check(sessionCookieOf(req.headers.cookie));
  if (!isApi) {
    // The renderer's scripts, styles and icons hold no data: served to the sign-in page too.
    if (path.startsWith('/assets/')) return serveStatic(req, res, ctx.files, path, head);
    if (check.ok) {
      // The page carries its first screen's answers, read as the session's account exactly as its calls would be.
      const caller: Caller = { account: check.session.account, role: check.session.role, address: view.address };
      return serveStatic(req, res, ctx.files, path, head, (method, input) => ctx.options.app.dispatch(method, input, caller));
    }
    const reason = check.reason === 'none' || check.reason === 'unknown' ? undefined : sessionRefusal(check.reason);
    res.setHeader('Cache-Control', 'no-store');
    return sendBody(res, 200, 'text/html; charset=utf-8', signInPage({ host: view.host, error: reason, next: raw }), head);
  }
  // The loopback page asks here for its token; on a team host the session cookie is the credential.
  // An empty answer (no token) keeps the page on its cookie without a console error.
  if (path === '/api/session') return sendJson(res, 200, { ok: true, data: {} });
  if (!check.ok) {
    // The console's transport reloads on this, which brings up the sign-in page with the reason.
    res.setHeader('X-Switchyard-Sign-In', '/');
    return sendError(res, 401, { code: 'unauthorized', message: sessionRefusal(check.reason) });
  }
  const caller: Caller = { account: check.session.account, role: check.session.role, address: view.address };
  const dispatch: Dispatch = (method, input) => ctx.options.app.dispatch(method, input, caller);
  if (path === CALL_PATH) return handleCall(req, res, dispatch, ctx.bodies);
  if (path === SNAPSHOT_UPLOAD_PATH && ctx.options.snapshotUploads !== undefined)
    return handleSnapshotUpload(req, res, ctx.options.snapshotUploads, dispatch);
  if (path === HEALTH_PATH && req.method === 'GET') return sendJson(res, 200, { ok: true });
  if (path === EVENTS_PATH) return sendError(res, 426, { code: 'invalid-input', message: `${EVENTS_PATH} is a WebSocket.` });
  return sendError(res, 404, { code: 'not-found', message: `No ${req.method ?? ''} ${path} on the Switchyard host.` });
}

async function metrics(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  const configured = ctx.options.metrics;
  if (configured === undefined || !hasValidCredential(req.headers, configured.token)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="switchyard"');
    return sendBody(
      res,
      401,
      'text/plain; charset=utf-8',
      'Metrics on a team host need `serve --metrics --token-file FILE` and that token as a Bearer header.\n',
    );
  }
  return serveMetrics(req, res, configured.render);
}

function setTeamSecurityHeaders(res: ServerResponse, req: IncomingMessage, config: TeamConfig): void {
  const named = config.trustProxy ? (req.headers['x-forwarded-host'] ?? req.headers.host) : req.headers.host;
  const host = String(named ?? '')
    .split(',')[0]!
    .trim()
    .replace(/[^A-Za-z0-9.:[\]-]/g, '');
  const socketSource = host === '' ? '' : ` ${config.tls === null && !config.trustProxy ? 'ws' : 'wss'}://${host}`;
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src 'self'${socketSource}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ].join('; '),
  );
  if (config.tls !== null) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Not no-referrer: with it Chromium sends `Origin: null` on the sign-in form's POST, which the origin check must refuse.
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}
