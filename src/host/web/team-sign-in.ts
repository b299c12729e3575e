import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccountsDirectory } from '../../services/accounts/accounts-types';
import type { AuditLog } from '../../services/audit/audit-types';
import { sendBody, sendError, sendJson } from './responses';
import type { RequestView } from './team-gate';
import { clearedSessionCookie, sessionCookieOf, sessionRefusal, sessionSetCookie, type TeamSessions } from './team-sessions';
import { signInPage } from './team-sign-in-page';
import { waitWords, type SignInThrottle } from './team-throttle';

// POST /api/sign-in, /api/sign-out, /api/sign-out-everywhere and GET /api/me. Each takes JSON (a
// script, the desktop app, curl) or a form post (the sign-in page, which needs no script): JSON
// is answered with the call envelope, a form with a redirect or the page again with the refusal.
// Every sign-in, failure and sign-out goes to the audit log with the address it came from.

export const SIGN_IN_PATH = '/api/sign-in';
export const SIGN_OUT_PATH = '/api/sign-out';
export const SIGN_OUT_EVERYWHERE_PATH = '/api/sign-out-everywhere';
export const ME_PATH = '/api/me';
export const TEAM_PATHS = new Set([SIGN_IN_PATH, SIGN_OUT_PATH, SIGN_OUT_EVERYWHERE_PATH, ME_PATH]);

/** A name and a password fit in far less; anything larger is not a sign-in. */
const MAX_SIGN_IN_BYTES = 8 * 1024;
const MAX_NAME = 64;
const MAX_PASSWORD = 1024;
/** A loop of throttled guesses is logged once per name or address in this long, not a thousand times. */
const THROTTLE_LOG_MS = 10_000;

export interface SignInDeps {
  accounts: AccountsDirectory;
  sessions: TeamSessions;
  throttle: SignInThrottle;
  audit: AuditLog;
  now: () => number;
  /** Closes the event sockets whose session has ended. */
  dropSockets(): void;
}

export function createSignInRoutes(deps: SignInDeps) {
  const throttleLogged = new Map<string, number>();

  async function signIn(req: IncomingMessage, res: ServerResponse, view: RequestView): Promise<void> {
    const form = await readForm(req);
    if (typeof form === 'string') return answer(res, 'json', 400, form);
    const name = (form.fields.get('name') ?? '').trim();
    const password = form.fields.get('password') ?? '';
    const next = safeNext(form.fields.get('next'));
    const refuse = (status: number, message: string) =>
      form.kind === 'json' ? answer(res, 'json', status, message, 'name') : page(res, status, view, message, name, next);
    if (name === '') return refuse(400, 'Account: give the account name to sign in with.');
    if (name.length > MAX_NAME) return refuse(400, `Account: a name has at most ${MAX_NAME} characters.`);
    if (password === '' || password.length > MAX_PASSWORD)
      return refuse(400, `Password: give the password (1–${MAX_PASSWORD} characters).`);

    const admission = deps.throttle.admit(name, view.address);
    if (!admission.ok) {
      const words = `Too many failed sign-ins for this ${admission.by === 'account' ? 'account' : 'address'}: try again in ${waitWords(admission.retryAfterMs)}.`;
      const key = `${admission.by}:${admission.by === 'account' ? name.toLowerCase() : view.address}`;
      if (deps.now() - (throttleLogged.get(key) ?? -Infinity) >= THROTTLE_LOG_MS) {
        throttleLogged.set(key, deps.now());
        if (throttleLogged.size > 10_000) throttleLogged.delete(throttleLogged.keys().next().value as string);
        deps.audit.record({
          kind: 'sign-in-failed',
          account: name,
          address: view.address,
          detail: `Throttled (${admission.by}): ${words}`,
        });
      }
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(admission.retryAfterMs / 1000))));
      return refuse(429, words);
    }
    const verdict = await deps.accounts.verify(name, password);
    admission.done(verdict.ok);
    if (!verdict.ok) {
      deps.audit.record({ kind: 'sign-in-failed', account: name, address: view.address, detail: failureDetail(verdict.reason) });
      if (verdict.reason === 'disabled') return refuse(403, `The account ${name} is disabled: ask an admin of this host to enable it.`);
      return refuse(401, 'Wrong account name or password.');
    }
    const cookie = deps.sessions.open(verdict.account, view.address);
    deps.audit.record({
      kind: 'sign-in',
      account: verdict.account.name,
      address: view.address,
      detail: `Signed in as ${verdict.account.role}`,
    });
    res.setHeader('Set-Cookie', sessionSetCookie(cookie));
    if (form.kind === 'form') return redirect(res, next);
    sendJson(res, 200, { ok: true, data: { account: verdict.account.name, role: verdict.account.role } });
  }

  async function signOut(req: IncomingMessage, res: ServerResponse, view: RequestView, everywhere: boolean): Promise<void> {
    const form = await readForm(req);
    const kind = typeof form === 'string' ? 'json' : form.kind;
    const cookie = sessionCookieOf(req.headers.cookie);
    res.setHeader('Set-Cookie', clearedSessionCookie());
    const session = deps.sessions.check(cookie, false);
    if (!session.ok || cookie === undefined) return answer(res, kind, 401, sessionRefusal(session.ok ? 'none' : session.reason));
    const { account } = session.session;
    if (everywhere) {
      const ended = deps.sessions.closeAll(account);
      deps.dropSockets();
      deps.audit.record({
        kind: 'sign-out-everywhere',
        account,
        address: view.address,
        detail: `Signed out everywhere (${ended} session${ended === 1 ? '' : 's'} ended)`,
      });
    } else {
      deps.sessions.close(cookie);
      deps.dropSockets();
      deps.audit.record({ kind: 'sign-out', account, address: view.address, detail: 'Signed out' });
    }
    if (kind === 'form') return redirect(res, '/');
    sendJson(res, 200, { ok: true, data: null });
  }

  return {
    async handle(req: IncomingMessage, res: ServerResponse, path: string, view: RequestView): Promise<void> {
      if (path === ME_PATH) {
        if (req.method !== 'GET') return notAllowed(res, 'GET');
        const session = deps.sessions.check(sessionCookieOf(req.headers.cookie));
        if (!session.ok) return answer(res, 'json', 401, sessionRefusal(session.reason));
        return sendJson(res, 200, { ok: true, data: { account: session.session.account, role: session.session.role } });
      }
      if (req.method !== 'POST') return notAllowed(res, 'POST');
      if (path === SIGN_IN_PATH) return signIn(req, res, view);
      return signOut(req, res, view, path === SIGN_OUT_EVERYWHERE_PATH);
    },
  };
}

function failureDetail(reason: 'unknown-account' | 'wrong-password' | 'disabled'): string {
  if (reason === 'unknown-account') return 'No such account';
  if (reason === 'disabled') return 'Account disabled';
  return 'Wrong password';
}

type Form = { kind: 'json' | 'form'; fields: Map<string, string> };

/** The body as fields, or the refusal in words. */
async function readForm(req: IncomingMessage): Promise<Form | string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
    req.resume();
    return 'Send the sign-in as application/json {"name": "…", "password": "…"} or as a form.';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_SIGN_IN_BYTES) return `The request body is larger than ${MAX_SIGN_IN_BYTES / 1024} KiB.`;
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return { kind: 'form', fields: new Map(new URLSearchParams(text)) };
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    return 'The request body is not valid JSON.';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The request body must be a JSON object.';
  const fields = new Map<string, string>();
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') fields.set(key, value);
  return { kind: 'json', fields };
}

/** Only a path on this host: `//evil.example` or `/\\evil.example` would leave it. */
export function safeNext(next: string | undefined): string {
  if (next === undefined || !next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next) || next.startsWith('/api/')) return '/';
  return next;
}

function answer(res: ServerResponse, kind: 'json' | 'form', status: number, message: string, field?: string): void {
  if (kind === 'form') return sendBody(res, status, 'text/plain; charset=utf-8', `${message}\n`);
  const code = status === 400 ? 'invalid-input' : 'unauthorized';
  sendError(res, status, { code, message, ...(field === undefined || status !== 400 ? {} : { field }) });
}

function page(res: ServerResponse, status: number, view: RequestView, error: string, name: string, next: string): void {
  res.setHeader('Cache-Control', 'no-store');
  sendBody(res, status, 'text/html; charset=utf-8', signInPage({ host: view.host, error, name, next }));
}

function redirect(res: ServerResponse, to: string): void {
  res.setHeader('Location', to);
  res.setHeader('Cache-Control', 'no-store');
  sendBody(res, 303, 'text/plain; charset=utf-8', `Go to ${to}\n`);
}

function notAllowed(res: ServerResponse, method: string): void {
  res.setHeader('Allow', method);
  sendError(res, 405, { code: 'invalid-input', message: `This path takes ${method} only.` });
}
